import type { RedisOptions } from 'ioredis';
import { openRedisClient } from './redis-connection.js';
import type { RedisTarget } from './redis-target.js';

/**
 * True when Redis (a node of the cluster, for a cluster target) answers PING at `target`
 * within `timeoutMs`; never throws, never retries.
 * @param options more client options, e.g. `{ tls: { ca } }` for a server with its own CA.
 */
export async function redisAnswers(target: RedisTarget | string, timeoutMs = 1500, options: RedisOptions = {}): Promise<boolean> {
  const client = openRedisClient(target, { ...options, lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, connectTimeout: timeoutMs });
  client.on('error', () => undefined);
  client.on('node error', () => undefined);
  let timer: NodeJS.Timeout | undefined;
  const gaveUp = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), timeoutMs);
  });
  const answered = (async () => {
    await client.connect();
    return (await client.ping()) === 'PONG';
  })().catch(() => false);
  try {
    return await Promise.race([answered, gaveUp]);
  } finally {
    clearTimeout(timer);
    client.disconnect();
  }
}
