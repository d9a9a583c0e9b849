import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { shellQuote, shellQuoteArgv } from './shell-quote.js';

describe('shellQuote', () => {
  it.each([
    ['train.py', 'train.py'],
    ['--data=coco128.yaml', '--data=coco128.yaml'],
    ['/abs/path-1_2.pt', '/abs/path-1_2.pt'],
    ['', "''"],
    ['two words', "'two words'"],
    ["it's", "'it'\\''s'"],
    ['$HOME', "'$HOME'"],
    ['a;b', "'a;b'"],
    ['line\nbreak', "$'line\\nbreak'"],
    ["tab\tand'quote\\", "$'tab\\tand\\'quote\\\\'"],
    ['bell\u0007', "$'bell\\x07'"],
  ])('%j → %s', (arg, quoted) => {
    expect(shellQuote(arg)).toBe(quoted);
  });

  it('writes one line that bash splits back into the same argv', () => {
    const argv = ['python', 'train.py', '--name', "it's 1", '--x', '$(rm -rf /)', 'a\nb', '', '*', 'tab\t', 'ünï'];
    const line = shellQuoteArgv(argv);
    expect(line).not.toContain('\n');
    const echoed = execFileSync('bash', ['-c', `for a in ${line}; do printf '%s\\0' "$a"; done`]).toString();
    expect(echoed.split('\0').slice(0, -1)).toEqual(argv);
  });
});
