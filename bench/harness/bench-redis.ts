import { Redis } from 'ioredis';
import { startPrivateRedis, type PrivateRedis } from '../../test/support/private-redis.js';

/** A private redis-server for one scenario (no persistence, its own port), and a client on it. */
export interface BenchRedis {
  readonly url: string;
  readonly client: Redis;
  stop(): Promise<void>;
}

export async function startBenchRedis(): Promise<BenchRedis> {
  const server: PrivateRedis = await startPrivateRedis();
  const client = new Redis(server.url, { maxRetriesPerRequest: null });
  return {
    url: server.url,
    client,
    stop: async () => {
      client.disconnect();
      await server.stop();
    },
  };
}

/** Runs `body` against a fresh private Redis and stops it afterwards, whatever happens. */
export async function withBenchRedis<T>(body: (redis: BenchRedis) => Promise<T>): Promise<T> {
  const redis = await startBenchRedis();
  try {
    return await body(redis);
  } finally {
    await redis.stop();
  }
}
