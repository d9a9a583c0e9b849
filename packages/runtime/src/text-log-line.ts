import { escapeControl } from './printable.js';

/**
 * pino's JSON lines as a person reads them on a terminal:
 *
 * ```text
 * 05:13:22 INFO  trial succeeded: fitness 0.41234  campaign=exp index=3 device=0
 * 05:13:40 WARN  heartbeat failed; retrying every interval  err="connect ECONNREFUSED 127.0.0.1:6379"
 * ```
 *
 * The time (local, to the second), the level, the message, then the other fields as
 * `key=value` (strings quoted when they hold a space or are empty, objects as compact JSON); `pid`, `name`
 * and `hostname` are left out (one process writes to one terminal). An error's stack follows an
 * error or fatal line, indented. Control characters are escaped: a field can hold a trainer's
 * output.
 */
export function textLogLine(json: string, options: { color: boolean }): string {
  let record: Record<string, unknown>;
  try {
    record = JSON.parse(json) as Record<string, unknown>;
  } catch {
    return escapeControl(json);
  }
  const { time, level, msg, err, pid: _pid, name: _name, hostname: _hostname, ...fields } = record;
  const label = LABELS[typeof level === 'number' ? level : 30] ?? 'LOG';
  const parts = [clock(time), paint(label.padEnd(5), typeof level === 'number' ? level : 30, options.color), escapeControl(typeof msg === 'string' ? msg : '', true)];
  const rest = Object.entries(fields).map(([key, value]) => `${key}=${show(value)}`);
  const error = err as { message?: unknown; stack?: unknown } | undefined;
  if (error !== undefined && error !== null) rest.push(`err=${show(typeof error.message === 'string' ? error.message : error)}`);
  let line = parts.join(' ') + (rest.length > 0 ? `  ${rest.join(' ')}` : '');
  if (typeof level === 'number' && level >= 50 && typeof error?.stack === 'string') {
    line += '\n' + escapeControl(error.stack).split('\n').slice(1).map((frame) => `    ${frame.trim()}`).join('\n');
  }
  return `${line}\n`;
}

const LABELS: Record<number, string> = { 10: 'TRACE', 20: 'DEBUG', 30: 'INFO', 40: 'WARN', 50: 'ERROR', 60: 'FATAL' };

/** ANSI colours of the level word: red for errors, yellow for warnings, dim for debug and trace. */
function paint(text: string, level: number, color: boolean): string {
  if (!color) return text;
  const code = level >= 50 ? '31' : level >= 40 ? '33' : level >= 30 ? '32' : '2';
  return `\u001b[${code}m${text}\u001b[0m`;
}

function clock(time: unknown): string {
  const date = new Date(typeof time === 'string' || typeof time === 'number' ? time : Date.now());
  if (Number.isNaN(date.getTime())) return '--:--:--';
  return [date.getHours(), date.getMinutes(), date.getSeconds()].map((n) => String(n).padStart(2, '0')).join(':');
}

function show(value: unknown): string {
  if (typeof value === 'string') return /^\S+$/.test(value) ? escapeControl(value, true) : escapeControl(JSON.stringify(value), true);
  if (typeof value === 'number' || typeof value === 'boolean' || value === null) return String(value);
  // JSON.stringify gives undefined for a function or undefined: nothing a logger is given.
  return escapeControl(JSON.stringify(value) ?? 'undefined', true);
}
