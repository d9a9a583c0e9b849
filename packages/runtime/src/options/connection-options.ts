import { ConfigError } from '../config-error.js';
import { LOG_FORMATS, LOG_LEVELS, type LogFormat, type LogLevel } from '../logger.js';
import { quoteInput } from '../printable.js';
import { redisTargetOf, type RedisTarget } from '../redis-target.js';
import { choiceOption, option, textOption } from './option-builders.js';
import type { Option } from './option.js';

/** `--redis-url` / `REDIS_URL` (one Redis) or `--redis-cluster` / `REDIS_CLUSTER_NODES` (a cluster). */
export const redisOption: Option<RedisTarget> = option({
  flags: [
    {
      name: 'redis-url',
      kind: 'string',
      value: 'URL',
      help: 'Redis to use: redis://[user:password@]host:port[/db], rediss://… for TLS (env REDIS_URL; default redis://127.0.0.1:6379)',
    },
    {
      name: 'redis-cluster',
      kind: 'string',
      value: 'NODES',
      help: 'a Redis Cluster instead: host:port,host:port,…; credentials and TLS as in --redis-url, e.g. rediss://user:password@host:port (env REDIS_CLUSTER_NODES)',
    },
  ],
  env: [
    { name: 'REDIS_URL', help: 'default for --redis-url (redis://127.0.0.1:6379)' },
    { name: 'REDIS_CLUSTER_NODES', help: 'default for --redis-cluster (set it or REDIS_URL, not both)' },
  ],
  read: (input) =>
    redisTargetOf({
      urlFlag: input.flag('redis-url') as string | undefined,
      clusterFlag: input.flag('redis-cluster') as string | undefined,
      urlEnv: input.env('REDIS_URL'),
      clusterEnv: input.env('REDIS_CLUSTER_NODES'),
    }),
});

const PREFIX = /^[A-Za-z0-9_.:-]{1,64}$/;

/**
 * The options every process that talks to Redis takes, declared once: where Redis is, the key
 * prefix (the same on every scheduler and worker of one installation) and the log level.
 * @param defaultPrefix the contract's DEFAULT_PREFIX
 */
export function connectionOptions(defaultPrefix: string) {
  return {
    redis: redisOption,
    prefix: textOption({
      flag: 'prefix',
      value: 'P',
      help: 'Redis key prefix, the same on every scheduler and worker',
      env: 'HYPEREVOLVE_PREFIX',
      default: defaultPrefix,
      check: (text, from) => {
        if (!PREFIX.test(text)) throw new ConfigError(`${from}: ${quoteInput(text)} is not a key prefix; use 1–64 letters, digits, "_", ".", ":" or "-" (default ${defaultPrefix}), the same on every scheduler and worker`);
        return text;
      },
    }),
    logLevel: logLevelOption('info', 'HYPEREVOLVE_LOG_LEVEL'),
    logFormat: logFormatOption,
  } as const;
}

/** `--log-format`: lines for people on a terminal, JSON for log collectors. */
export const logFormatOption: Option<LogFormat> = choiceOption({
  flag: 'log-format',
  value: 'FORMAT',
  help: `${LOG_FORMATS.join('|')}: auto writes readable lines on a terminal and JSON lines when piped or redirected`,
  env: 'HYPEREVOLVE_LOG_FORMAT',
  choices: LOG_FORMATS,
  default: 'auto',
  refuse: (text, from) => `${from}: ${quoteInput(text)} is not a log format; use one of ${LOG_FORMATS.join(', ')}`,
});

export function logLevelOption(fallback: LogLevel, env?: string): Option<LogLevel> {
  return choiceOption({
    flag: 'log-level',
    value: 'LEVEL',
    help: LOG_LEVELS.join('|'),
    ...(env === undefined ? {} : { env }),
    choices: LOG_LEVELS,
    default: fallback,
    refuse: (text, from) => `${from}: ${quoteInput(text)} is not a log level; use one of ${LOG_LEVELS.join(', ')}`,
  });
}
