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

const AUTH_FAILURE = /NOAUTH|WRONGPASS|invalid password|invalid username|NOPERM/i;

/**
 * Connects, waiting up to `connectTimeoutMs` for Redis to answer (a process started a moment
 * before its Redis, as `docker compose up` does, just waits). Unreachable past the wait, or
 * refused credentials at once, become a ConfigError naming the URL (password redacted).
 */
export async function connectRedis(options: ConnectOptions): Promise<Redis> {
  const timeoutMs = options.connectTimeoutMs ?? 10_000;
  const where = redactRedisUrl(options.url);
  const client = createRedis(options.url, options.log, options.name === undefined ? {} : { connectionName: options.name });
  let lastError = '';
  let cleanup = (): void => undefined;
  const outcome = new Promise<void>((resolve, reject) => {
    const onReady = (): void => resolve();
    const onError = (error: Error): void => {
      lastError = error.message;
      if (AUTH_FAILURE.test(error.message)) {
        reject(new ConfigError(`Redis at ${where} refused the credentials (${error.message}); put the right user and password in REDIS_URL`, { cause: error }));
      }
    };
    const timer = setTimeout(() => {
      reject(new ConfigError(
        `Redis at ${where} did not answer within ${Math.round(timeoutMs / 1000)} s${lastError === '' ? '' : ` (${lastError})`}; ` +
          'check that it runs and that REDIS_URL (or --redis-url) points at it, with the password if it has one',
      ));
    }, timeoutMs);
    client.once('ready', onReady);
    client.on('error', onError);
    cleanup = () => {
      clearTimeout(timer);
      client.off('ready', onReady);
      client.off('error', onError);
    };
  });
  client.connect().catch(() => undefined);
  try {
    await outcome;
    await checkDatabase(client, where);
  } catch (error) {
    client.disconnect();
    throw error;
  } finally {
    cleanup();
  }
  return client;
}

/**
 * ioredis reports a failed SELECT only as an 'error' event and goes on in database 0, so a
 * URL naming a database the server lacks would silently use (and write into) database 0.
 */
async function checkDatabase(client: Redis, where: string): Promise<void> {
  const db = client.options.db ?? 0;
  if (db === 0) return;
  try {
    await client.select(db);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new ConfigError(
      `Redis at ${where} has no database ${db} (${reason}); use a database number below the server's "databases" setting (16 unless configured), as in redis://host:6379/0`,
      { cause: error },
    );
  }
}
