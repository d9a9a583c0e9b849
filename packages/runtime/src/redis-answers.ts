import { Redis, type RedisOptions } from 'ioredis';

/**
 * True when a Redis answers PING at `url` within `timeoutMs`; never throws, never retries.
 * @param options more client options, e.g. `{ tls: { ca } }` for a server with its own CA.
 */
export async function redisAnswers(url: string, timeoutMs = 1500, options: RedisOptions = {}): Promise<boolean> {
  const client = new Redis(url, { ...options, lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, connectTimeout: timeoutMs });
  client.on('error', () => undefined);
  try {
    await client.connect();
    return (await client.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    client.disconnect();
  }
}
