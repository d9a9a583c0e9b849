import { afterEach, describe, expect, it, vi } from 'vitest';
import { campaignKeys } from '@hyperevolve/contract';
import { SERVED_MARK_MS, ServedMarks } from '../apps/scheduler/src/serve/served-marks.js';
import { useClusters } from './support/cluster-fixture.js';
import { deletePrefix, uniquePrefix } from './support/redis-prefix.js';

const { redis } = useClusters();

afterEach(() => {
  vi.useRealTimers();
});

describe("a scheduler's served marks", () => {
  it('are set on the running campaigns, renewed while they run, and forgotten once expired, so a stop takes off only the live ones', async () => {
    const prefix = uniquePrefix('served');
    const marks = new ServedMarks(redis, prefix);
    const served = (name: string): string => campaignKeys(prefix, name).served;
    try {
      vi.useFakeTimers({ toFake: ['Date'] });
      marks.renew(['a', 'b']);
      await vi.waitFor(async () => expect(await redis.exists(served('a'), served('b'))).toBe(2));
      expect(await redis.pttl(served('a'))).toBeGreaterThan(SERVED_MARK_MS - 1000);
      expect(marks.names().sort()).toEqual(['a', 'b']);

      // b ended: only a is renewed; b's mark outlives twice its expiry here, then is forgotten.
      vi.setSystemTime(Date.now() + SERVED_MARK_MS);
      marks.renew(['a']);
      vi.setSystemTime(Date.now() + SERVED_MARK_MS - 500);
      marks.renew(['a']);
      expect(marks.names().sort()).toEqual(['a', 'b']);
      vi.setSystemTime(Date.now() + 1000);
      marks.renew(['a']);
      expect(marks.names()).toEqual(['a']);

      await redis.set(served('b'), '1');
      await marks.clear();
      expect(await redis.exists(served('a'))).toBe(0);
      // Not this scheduler's any more: left as it is.
      expect(await redis.exists(served('b'))).toBe(1);
      marks.renew(['a']);
      expect(marks.names()).toEqual(['a']);
      expect(await redis.exists(served('a'))).toBe(0);
    } finally {
      await deletePrefix(redis, prefix);
    }
  });
});
