import type { Redis } from 'ioredis';
import { globalKeys } from '@hyperevolve/contract';

export const SCHEDULER_BEAT_MS = 2000;
export const SCHEDULER_STALE_MS = 10_000;

/** Tells `enqueue` and `status` that a `scheduler serve` is alive. */
export async function beat(redis: Redis, prefix: string, id: string): Promise<void> {
  const key = globalKeys(prefix).schedulers;
  const now = Date.now();
  await redis.multi().zadd(key, now, id).zremrangebyscore(key, '-inf', now - 60_000).exec();
}

export async function leave(redis: Redis, prefix: string, id: string): Promise<void> {
  await redis.zrem(globalKeys(prefix).schedulers, id);
}

export async function aliveSchedulers(redis: Redis, prefix: string): Promise<string[]> {
  return redis.zrangebyscore(globalKeys(prefix).schedulers, Date.now() - SCHEDULER_STALE_MS, '+inf');
}
