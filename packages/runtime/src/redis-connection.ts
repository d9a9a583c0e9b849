import { Redis, type RedisOptions } from 'ioredis';
import type { Logger } from 'pino';
import { ConfigError } from './config-error.js';
import { redactRedisUrl } from './redis-url.js';

export interface ConnectOptions {
  url: string;
  log: Logger;
  /** How long the first connection may take before we give up with a clear message. */
  connectTimeoutMs?: number;
  /** Connection name shown in CLIENT LIST. */
  name?: string;
}

/**
 * An ioredis client that retries forever after it first connected (Redis restarts are
 * survived without a manual step) and that BullMQ can share (maxRetriesPerRequest: null).
 */
export function createRedis(url: string, log: Logger, extra: RedisOptions = {}): Redis {
  const client = new Redis(url, {
    maxRetriesPerRequest: null,
    enableReadyCheck: true,
    retryStrategy: (times) => Math.min(50 * 2 ** Math.min(times, 6), 2000),
    lazyConnect: true,
    ...extra,
  });
  let lastError = '';
  client.on('error', (error: Error) => {
    if (error.message !== lastError) log.warn({ err: error, redis: redactRedisUrl(url) }, 'redis connection problem; retrying');
    lastError = error.message;
  });
  client.on('ready', () => {
    if (lastError !== '') log.info({ redis: redactRedisUrl(url) }, 'redis connection restored');
    lastError = '';
  });
  return client;
}

/** Connects, waiting at most `connectTimeoutMs`; an unreachable Redis becomes a ConfigError naming the URL. */
export async function connectRedis(options: ConnectOptions): Promise<Redis> {
  const timeoutMs = options.connectTimeoutMs ?? 10_000;
  const client = createRedis(options.url, options.log, options.name === undefined ? {} : { connectionName: options.name });
  const timer = new Promise<never>((_, reject) => {
    const handle = setTimeout(() => {
      reject(new ConfigError(
        `Redis at ${redactRedisUrl(options.url)} did not answer within ${Math.round(timeoutMs / 1000)} s; ` +
          'check that it runs and that REDIS_URL (or --redis-url) points at it, with the password if it has one',
      ));
    }, timeoutMs);
    handle.unref();
  });
  try {
    await Promise.race([client.connect().then(() => client.ping()), timer]);
  } catch (error) {
    client.disconnect();
    if (error instanceof ConfigError) throw error;
    const message = error instanceof Error ? error.message : String(error);
    if (/NOAUTH|WRONGPASS|invalid password|invalid username/i.test(message)) {
      throw new ConfigError(`Redis at ${redactRedisUrl(options.url)} refused the credentials (${message}); put the right user and password in REDIS_URL`, { cause: error });
    }
    throw new ConfigError(`Redis at ${redactRedisUrl(options.url)} could not be reached: ${message}`, { cause: error });
  }
  return client;
}
