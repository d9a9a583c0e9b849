/**
 * @hyperevolve/runtime — the small impure toolkit both apps share: Redis connections (one
 * server or a Redis Cluster) that survive restarts, the pino root logger, URL redaction, durations, ConfigError.
 *
 * @example
 * ```ts
 * import { connectRedis, createLogger, parseDuration } from '@hyperevolve/runtime';
 *
 * const log = createLogger('worker');
 * const redis = await connectRedis({ target: config.redis, log }); // one Redis or a cluster; ConfigError if unreachable
 * const timeoutMs = parseDuration('2h', '--timeout');
 * ```
 */
export * from './config-error.js';
export * from './cli-flags.js';
export * from './duration.js';
export * from './redis-url.js';
export * from './redis-target.js';
export * from './redis-connection.js';
export * from './scan-keys.js';
export * from './redis-answers.js';
export * from './logger.js';
export * from './repairing-queue-worker.js';
export * from './printable.js';
export * from './options/option.js';
export * from './options/option-builders.js';
export * from './options/read-options.js';
export * from './options/render-options.js';
export * from './options/connection-options.js';
export * from './redis-script.js';
export * from './script-code.js';
export * from './byte-size.js';
export * from './unsaved-writes.js';
export * from './redis-risks.js';
export * from './shell-quote.js';
export * from './untrusted-file.js';
export * from './held-key.js';
