import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { globalKeys } from '@hyperevolve/contract';
import { LeaseScripts } from '../apps/worker/src/gpu/lease-scripts.js';
import { deletePrefix, uniquePrefix } from './support/redis-prefix.js';

describe('GPU lease scripts (renew-gpu-lease-1.lua, release-gpu-lease-1.lua)', () => {
  let redis: Redis;
  let leases: LeaseScripts;
  const prefix = uniquePrefix('gpu-lua');
  const key = (name: string) => globalKeys(prefix).gpuLease(`GPU-${name}`);

  beforeAll(() => {
    redis = new Redis(inject('redisUrl'));
    leases = new LeaseScripts(redis);
  });

  afterAll(async () => {
    await deletePrefix(redis, prefix);
    redis.disconnect();
  });

  it('takes a free lease once: set-if-absent with a TTL', async () => {
    expect(await leases.take(key('take'), 'a:1:0', 5000)).toBe(true);
    expect(await leases.take(key('take'), 'b:1:0', 5000)).toBe(false);
    expect(await leases.holder(key('take'))).toBe('a:1:0');
    expect(await redis.pttl(key('take'))).toBeGreaterThan(4000);
    expect(await leases.holder(key('nobody'))).toBeUndefined();
  });

  it('renews only its own lease, re-takes a lapsed one, and leaves another holder\'s alone', async () => {
    await leases.take(key('renew'), 'a:1:0', 1000);
    expect(await leases.renew(key('renew'), 'a:1:0', 60_000)).toEqual({ kind: 'extended' });
    expect(await redis.pttl(key('renew'))).toBeGreaterThan(59_000);

    expect(await leases.renew(key('renew'), 'b:1:0', 60_000)).toEqual({ kind: 'held-by-other', holder: 'a:1:0' });
    expect(await leases.holder(key('renew'))).toBe('a:1:0');

    await redis.del(key('renew'));
    expect(await leases.renew(key('renew'), 'a:1:0', 30_000)).toEqual({ kind: 'retaken' });
    expect(await leases.holder(key('renew'))).toBe('a:1:0');
    const ttl = await redis.pttl(key('renew'));
    expect(ttl).toBeGreaterThan(29_000);
    expect(ttl).toBeLessThanOrEqual(30_000);
  });

  it('releases only its own lease', async () => {
    await leases.take(key('release'), 'a:1:0', 60_000);
    expect(await leases.release(key('release'), 'b:1:0')).toEqual({ kind: 'held-by-other', holder: 'a:1:0' });
    expect(await leases.holder(key('release'))).toBe('a:1:0');
    expect(await leases.release(key('release'), 'a:1:0')).toEqual({ kind: 'released' });
    expect(await redis.exists(key('release'))).toBe(0);
    expect(await leases.release(key('release'), 'a:1:0')).toEqual({ kind: 'absent' });
  });
});
