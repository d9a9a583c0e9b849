import { randomBytes } from 'node:crypto';
import { scanKeys, type RedisClient } from '@hyperevolve/runtime';

/** A key prefix of a test's own, so tests share one Redis without seeing each other. */
export function uniquePrefix(name: string): string {
  return `t-${name}-${randomBytes(4).toString('hex')}`;
}

/** Deletes every key under a prefix (SCAN, never KEYS; one key per UNLINK, as a cluster needs). */
export async function deletePrefix(redis: RedisClient, prefix: string): Promise<void> {
  const keys = await scanKeys(redis, `${prefix}:*`);
  for (let i = 0; i < keys.length; i += 500) await Promise.all(keys.slice(i, i + 500).map((key) => redis.unlink(key)));
}
