import { Cluster, Redis, type ClusterOptions, type RedisOptions } from 'ioredis';
import type { Logger } from 'pino';
import { ConfigError } from './config-error.js';
import { describeRedisTarget, redisTargetSetting, singleRedis, type RedisTarget } from './redis-target.js';

/** A connection to one Redis or to a Redis Cluster: every component takes either. */
export type RedisClient = Redis | Cluster;

export interface ConnectOptions {
  /** A RedisTarget from the config, or a redis:// URL of one server. */
  target: RedisTarget | string;
  log: Logger;
  /** How long the first connection may take before we give up with a clear message. */
  connectTimeoutMs?: number;
  /** Connection name shown in CLIENT LIST. */
  name?: string;
}

/**
 * The one place a Redis client is constructed (`new Redis` / `new Cluster`). `options` are
 * per-connection options; on a cluster they apply to each node's connection, its
 * `retryStrategy` becomes the cluster's, and the target's credentials and TLS are added.
 */
export function openRedisClient(target: RedisTarget | string, options: RedisOptions = {}): RedisClient {
  const resolved = typeof target === 'string' ? singleRedis(target) : target;
  if (resolved.kind === 'single') return new Redis(resolved.url, options);
  const { retryStrategy, lazyConnect, enableOfflineQueue, enableReadyCheck, host: _host, port: _port, path: _path, sentinels: _sentinels, readOnly: _readOnly, ...nodeOptions } = options;
  const clusterOptions: ClusterOptions = {
    redisOptions: {
      ...nodeOptions,
      ...(resolved.username === undefined ? {} : { username: resolved.username }),
      ...(resolved.password === undefined ? {} : { password: resolved.password }),
      ...(resolved.tls ? { tls: nodeOptions.tls ?? {} } : {}),
    },
    ...(retryStrategy === undefined || retryStrategy === null ? {} : { clusterRetryStrategy: (times: number) => retryStrategy(times) }),
    ...(lazyConnect === undefined ? {} : { lazyConnect }),
    ...(enableOfflineQueue === undefined ? {} : { enableOfflineQueue }),
    ...(enableReadyCheck === undefined ? {} : { enableReadyCheck }),
  };
  return new Cluster(resolved.nodes.map((node) => ({ host: node.host, port: node.port })), clusterOptions);
}

/**
 * A client that retries forever after it first connected (Redis restarts are survived without
 * a manual step) and that BullMQ can share (maxRetriesPerRequest: null).
 */
export function createRedis(target: RedisTarget | string, log: Logger, extra: RedisOptions = {}): RedisClient {
  const where = describeRedisTarget(typeof target === 'string' ? singleRedis(target) : target);
  const client = openRedisClient(target, {
    maxRetriesPerRequest: null,
    enableReadyCheck: true,
    retryStrategy: (times) => Math.min(50 * 2 ** Math.min(times, 6), 2000),
    lazyConnect: true,
    ...extra,
  });
  let lastError = '';
  const onError = (error: Error): void => {
    if (error.message !== lastError) log.warn({ err: error, redis: where }, 'redis connection problem; retrying');
    lastError = error.message;
  };
  client.on('error', onError);
  client.on('node error', onError);
  client.on('ready', () => {
    if (lastError !== '') log.info({ redis: where }, 'redis connection restored');
    lastError = '';
  });
  return client;
}

const AUTH_FAILURE = /NOAUTH|WRONGPASS|invalid password|invalid username|NOPERM/i;

/**
 * Connects, waiting up to `connectTimeoutMs` for Redis to answer (a process started a moment
 * before its Redis, as `docker compose up` does, just waits). Unreachable past the wait, or
 * refused credentials at once, become a ConfigError naming the target (password redacted).
 */
export async function connectRedis(options: ConnectOptions): Promise<RedisClient> {
  const target = typeof options.target === 'string' ? singleRedis(options.target) : options.target;
  const timeoutMs = options.connectTimeoutMs ?? 10_000;
  const where = describeRedisTarget(target);
  const setting = redisTargetSetting(target);
  const client = createRedis(target, options.log, options.name === undefined ? {} : { connectionName: options.name });
  let lastError = '';
  let cleanup = (): void => undefined;
  const outcome = new Promise<void>((resolve, reject) => {
    const onReady = (): void => resolve();
    const onError = (error: Error): void => {
      const cause = (error as { lastNodeError?: Error }).lastNodeError ?? error;
      lastError = cause.message;
      if (AUTH_FAILURE.test(cause.message)) {
        const put = target.kind === 'single' ? 'REDIS_URL' : 'the nodes of REDIS_CLUSTER_NODES';
        reject(new ConfigError(`Redis at ${where} refused the credentials (${cause.message}); put the right user and password in ${put}`, { cause }));
      }
    };
    const timer = setTimeout(() => {
      reject(new ConfigError(
        `Redis at ${where} did not answer within ${Math.round(timeoutMs / 1000)} s${lastError === '' ? '' : ` (${lastError})`}; ` +
          `check that it runs and that ${setting} points at it, with the password if it has one`,
      ));
    }, timeoutMs);
    client.once('ready', onReady);
    client.on('error', onError);
    client.on('node error', onError);
    cleanup = () => {
      clearTimeout(timer);
      client.off('ready', onReady);
      client.off('error', onError);
      client.off('node error', onError);
    };
  });
  client.connect().catch(() => undefined);
  try {
    await outcome;
    if (client instanceof Redis) await checkDatabase(client, where);
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
