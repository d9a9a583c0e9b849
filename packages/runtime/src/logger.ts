import { destination, pino, stdTimeFunctions, type Logger } from 'pino';
import { escapeJsonForTerminal } from './printable.js';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/**
 * The one root logger of a process; everything else takes `log.child({...})`.
 * Redis URLs with passwords are redacted wherever they appear under these paths.
 * @param fd 1 for long-lived services, 2 for CLI verbs whose stdout is their output.
 */
export function createLogger(name: string, level = 'info', fd: 1 | 2 = 1): Logger {
  return pino(
    {
      name,
      level,
      // ioredis puts the failed command on its errors: for AUTH and HELLO its args are the
      // user name and the password, so no command's args are ever logged.
      redact: { paths: ['password', '*.password', 'redisUrl', '*.redisUrl', 'err.command.args', '*.err.command.args', 'err.previousErrors[*].command.args', 'err.cause.command.args'], censor: '***' },
      base: { pid: process.pid },
      timestamp: stdTimeFunctions.isoTime,
      // Log lines reach terminals; pino's JSON leaves C1 and bidi controls raw.
      hooks: { streamWrite: escapeJsonForTerminal },
    },
    destination({ fd, sync: true }),
  );
}
