import { pino, type Logger } from 'pino';

/**
 * The one root logger of a process; everything else takes `log.child({...})`.
 * Redis URLs with passwords are redacted wherever they appear under these paths.
 */
export function createLogger(name: string, level = 'info'): Logger {
  return pino({
    name,
    level,
    redact: { paths: ['password', '*.password', 'redisUrl', '*.redisUrl'], censor: '***' },
    base: { pid: process.pid },
    timestamp: pino.stdTimeFunctions.isoTime,
  });
}
