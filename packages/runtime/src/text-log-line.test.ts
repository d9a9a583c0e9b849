import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { textLogLine } from './text-log-line.js';

/** What pino writes for one call, as text (no colour). */
function logged(call: (log: pino.Logger) => void): string {
  let text = '';
  const log = pino({ base: { pid: 1 }, name: 'worker', timestamp: () => `,"time":"${new Date(2026, 0, 2, 3, 4, 5).toISOString()}"` }, { write: (line: string) => (text += textLogLine(line, { color: false })) });
  call(log);
  return text;
}

describe('textLogLine', () => {
  it('writes local time, level, message and the fields as key=value, leaving out pid and name', () => {
    expect(logged((log) => log.child({ campaign: 'exp', index: 3 }).info({ fitness: 0.41234, metrics: { 'metrics/mAP_0.5': 0.5 } }, 'trial succeeded: fitness 0.41234'))).toBe(
      '03:04:05 INFO  trial succeeded: fitness 0.41234  campaign=exp index=3 fitness=0.41234 metrics={"metrics/mAP_0.5":0.5}\n',
    );
  });

  it('quotes a string with spaces or an empty one, and escapes control characters in every part', () => {
    expect(logged((log) => log.warn({ command: 'python train.py', empty: '', raw: 'a\u001b[2Jb' }, 'odd \u202e name'))).toBe(
      '03:04:05 WARN  odd \\u202e name  command="python train.py" empty="" raw=a\\x1b[2Jb\n',
    );
  });

  it('shows an error\'s message on the line, and its stack below an error line only', () => {
    const error = new Error('connect ECONNREFUSED');
    error.stack = 'Error: connect ECONNREFUSED\n    at first (a.js:1:1)\n    at second (b.js:2:2)';
    expect(logged((log) => log.warn({ err: error }, 'heartbeat failed'))).toBe('03:04:05 WARN  heartbeat failed  err="connect ECONNREFUSED"\n');
    expect(logged((log) => log.error({ err: error }, 'stopped'))).toBe('03:04:05 ERROR stopped  err="connect ECONNREFUSED"\n    at first (a.js:1:1)\n    at second (b.js:2:2)\n');
  });

  it('colours the level on a terminal, and passes a line that is not JSON through, escaped', () => {
    expect(textLogLine('{"level":50,"time":0,"msg":"x"}', { color: true }).slice(9)).toBe('\u001b[31mERROR\u001b[0m x\n');
    expect(textLogLine('not json \u001b]52;c;x\u0007\n', { color: false })).toBe('not json \\x1b]52;c;x\\x07\n');
  });
});
