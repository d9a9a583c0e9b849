import { describe, expect, it } from 'vitest';
import { escapeControl, quoteInput, stringifyForTerminal } from './printable.js';

const ATTACKS = [
  '\u001b[2J',                            // clear the screen
  '\u001b]0;owned\u0007',                 // OSC title
  '\u001b]52;c;Y3VybCBldmlsLnNoIHwgc2g=\u0007', // OSC 52: write the clipboard
  '\u009b31m',                            // C1 CSI
  'a\rb',                                 // overwrite the line
  'safe\u202eexe.txt',                    // right-to-left override
];

describe('escapeControl', () => {
  it('leaves no control character a terminal would act on, and keeps newlines and tabs', () => {
    for (const attack of ATTACKS) {
      // eslint-disable-next-line no-control-regex
      expect(escapeControl(attack)).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202e]/);
    }
    expect(escapeControl('\u001b[2Jline 1\n\tline 2\r')).toBe('\\x1b[2Jline 1\n\tline 2\\r');
    expect(escapeControl('\u009b31m \u202e')).toBe('\\x9b31m \\u202e');
    expect(escapeControl('a\nb\tc', true)).toBe('a\\nb\\tc');
    expect(escapeControl('plain text, ünïcödé, 日本')).toBe('plain text, ünïcödé, 日本');
  });
});

describe('stringifyForTerminal', () => {
  it('escapes what JSON leaves raw and parses back to the same value', () => {
    const value = { log: ATTACKS.join('\n') };
    const text = stringifyForTerminal(value);
    // eslint-disable-next-line no-control-regex
    expect(text).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u202e]/);
    expect(JSON.parse(text)).toEqual(value);
  });
});

describe('quoteInput', () => {
  it('quotes short values whole and cuts long ones, saying how long they were', () => {
    expect(quoteInput('exp')).toBe('"exp"');
    const long = quoteInput('a'.repeat(10_000));
    expect(long).toBe(`"${'a'.repeat(80)}…" (10000 characters)`);
    expect(quoteInput('x\u001b[2J')).toBe('"x\\x1b[2J"');
  });
});
