import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { globalKeys } from '@hyperevolve/contract';
import { extendLock, releaseLock } from '../apps/scheduler/src/redis/scripts.js';
import { LeaseScripts } from '../apps/worker/src/gpu/lease-scripts.js';
import { deletePrefix, uniquePrefix } from './support/redis-prefix.js';

describe('GPU lease scripts (runtime\'s renew-held-1.lua with retake, release-held-1.lua)', () => {
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

describe('scheduler locks (the same held-key scripts, without retake)', () => {
  let redis: Redis;
  const prefix = uniquePrefix('lock-lua');
  const key = (name: string) => `${prefix}:lock:${name}`;

  beforeAll(() => {
    redis = new Redis(inject('redisUrl'));
  });

  afterAll(async () => {
    await deletePrefix(redis, prefix);
    redis.disconnect();
  });

  it('extends only its own lock and never takes a lapsed one again', async () => {
    await redis.set(key('extend'), 'token-a', 'PX', 1000);
    expect(await extendLock(redis, key('extend'), 'token-a', 60_000)).toBe(true);
    expect(await redis.pttl(key('extend'))).toBeGreaterThan(59_000);
    expect(await extendLock(redis, key('extend'), 'token-b', 60_000)).toBe(false);
    await redis.del(key('extend'));
    expect(await extendLock(redis, key('extend'), 'token-a', 60_000)).toBe(false);
    expect(await redis.exists(key('extend'))).toBe(0);
  });

  it('releases only its own lock', async () => {
    await redis.set(key('release'), 'token-a', 'PX', 60_000);
    expect(await releaseLock(redis, key('release'), 'token-b')).toBe(false);
    expect(await redis.get(key('release'))).toBe('token-a');
    expect(await releaseLock(redis, key('release'), 'token-a')).toBe(true);
    expect(await releaseLock(redis, key('release'), 'token-a')).toBe(false);
  });
});
