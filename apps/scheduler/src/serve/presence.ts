import { globalKeys } from '@hyperevolve/contract';
import type { RedisClient } from '@hyperevolve/runtime';

export const SCHEDULER_BEAT_MS = 2000;
const SCHEDULER_STALE_MS = 10_000;

/** Workers silent this long are dropped from the registry (status shows them as silent until then). */
const WORKER_FORGET_MS = 3_600_000;

/**
 * Tells `enqueue` and `status` that a `scheduler serve` is alive, and forgets schedulers and
 * workers that have been silent for long (their own hashes expired long ago).
 */
export async function beat(redis: RedisClient, prefix: string, id: string): Promise<void> {
  const keys = globalKeys(prefix);
  const now = Date.now();
  // Two keys in two cluster slots: one MULTI each would buy nothing, so plain commands.
  await Promise.all([
    redis.zadd(keys.schedulers, now, id),
    redis.zremrangebyscore(keys.schedulers, '-inf', now - 60_000),
    redis.zremrangebyscore(keys.workers, '-inf', now - WORKER_FORGET_MS),
  ]);
}

export async function leave(redis: RedisClient, prefix: string, id: string): Promise<void> {
  await redis.zrem(globalKeys(prefix).schedulers, id);
}

export async function aliveSchedulers(redis: RedisClient, prefix: string): Promise<string[]> {
  return redis.zrangebyscore(globalKeys(prefix).schedulers, Date.now() - SCHEDULER_STALE_MS, '+inf');
}
