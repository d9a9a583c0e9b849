import type { Logger } from 'pino';
import { connectRedis, type RedisClient } from '@hyperevolve/runtime';
import type { CommonConfig } from '../config.js';

/** Runs a short CLI verb with a Redis connection that is always closed afterwards. */
export async function withRedis<T>(config: CommonConfig, log: Logger, run: (redis: RedisClient) => Promise<T>): Promise<T> {
  const redis = await connectRedis({ target: config.redis, log, connectTimeoutMs: 5000, name: 'hyperevolve-cli' });
  try {
    return await run(redis);
  } finally {
    redis.disconnect();
  }
}
