import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { GpuLease } from './gpu-lease.js';
import type { LeaseScripts } from './lease-scripts.js';

const TTL_MS = 1000;

/** Lease scripts whose renewals fail `failures` times (a Redis hiccup), then extend. */
function scripts(failures: number): { scripts: LeaseScripts; renewals: () => number } {
  let renewals = 0;
  const fake = {
    renew: () => {
      renewals += 1;
      return renewals <= failures ? Promise.reject(new Error('connection reset')) : Promise.resolve({ kind: 'extended' as const });
    },
    release: () => Promise.resolve({ kind: 'released' as const }),
  };
  return { scripts: fake as unknown as LeaseScripts, renewals: () => renewals };
}

describe('GpuLease renewals', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'performance'] });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('one failed renewal does not lose the lease: the next one reaches Redis before the loss deadline', async () => {
    const fake = scripts(1);
    const lease = new GpuLease({ scripts: fake.scripts, key: 'gpu:x', holder: 'me', ttlMs: TTL_MS, takenAt: performance.now(), log: pino({ level: 'silent' }) });
    let lost = false;
    void lease.lost.then(() => {
      lost = true;
    });
    await vi.advanceTimersByTimeAsync(3 * TTL_MS);
    expect(fake.renewals()).toBeGreaterThan(2);
    expect(lost).toBe(false);
    expect(lease.held()).toBe(true);
    lease.abandon();
  });

  it('renewals that keep failing lose it before it can lapse in Redis', async () => {
    const fake = scripts(Number.POSITIVE_INFINITY);
    const takenAt = performance.now();
    const lease = new GpuLease({ scripts: fake.scripts, key: 'gpu:x', holder: 'me', ttlMs: TTL_MS, takenAt, log: pino({ level: 'silent' }) });
    let lostAt: number | undefined;
    void lease.lost.then(() => {
      lostAt = performance.now();
    });
    await vi.advanceTimersByTimeAsync(TTL_MS);
    expect(lostAt).toBeDefined();
    expect((lostAt ?? TTL_MS) - takenAt).toBeLessThan(TTL_MS - lease.marginMs);
    expect(lease.held()).toBe(false);
    lease.abandon();
  });
});
