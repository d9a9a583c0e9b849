import { isatty } from 'node:tty';
import { destination, pino, stdTimeFunctions, type DestinationStream, type Logger } from 'pino';
import { escapeJsonForTerminal } from './printable.js';
import { textLogLine } from './text-log-line.js';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** `text`: lines for people (textLogLine); `json`: pino's lines, for log collectors; `auto`: text on a terminal, else JSON. */
export const LOG_FORMATS = ['auto', 'text', 'json'] as const;
export type LogFormat = (typeof LOG_FORMATS)[number];

/**
 * The one root logger of a process; everything else takes `log.child({...})`.
 * Redis URLs with passwords are redacted wherever they appear under these paths.
 * @param fd 1 for long-lived services, 2 for CLI verbs whose stdout is their output.
 * @param format `auto` writes text when `fd` is a terminal and JSON when it is a pipe or a file.
 */
export function createLogger(name: string, level = 'info', fd: 1 | 2 = 1, format: LogFormat = 'json'): Logger {
  const terminal = isatty(fd);
  const json = destination({ fd, sync: true });
  const text = format === 'text' || (format === 'auto' && terminal);
  // Redaction happens before the stream: a text line shows what the JSON line would.
  const stream: DestinationStream = text ? { write: (line: string) => json.write(textLogLine(line, { color: terminal })) } : json;
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
    stream,
  );
}
