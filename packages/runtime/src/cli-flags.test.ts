import { describe, expect, it } from 'vitest';
import { ConfigError } from './config-error.js';
import { parseFlags } from './cli-flags.js';

const OPTIONS = { generations: { type: 'string' }, seed: { type: 'string' }, json: { type: 'boolean' } } as const;
const HINT = 'see tool --help';

function message(args: string[]): string {
  try {
    parseFlags(args, OPTIONS, HINT, true);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error('expected a ConfigError');
}

describe('parseFlags', () => {
  it('names the closest flag for a typo or a prefix', () => {
    expect(message(['--generation', '5'])).toBe('unknown flag --generation; did you mean --generations? (see tool --help)');
    expect(message(['--gen', '5'])).toMatch(/did you mean --generations\?/);
    expect(message(['--jsn'])).toMatch(/did you mean --json\?/);
    expect(message(['--epochs', '3'])).toBe('unknown flag --epochs (see tool --help)');
  });

  it('says which flag lacks its value, and that a switch takes none', () => {
    expect(message(['--generations'])).toBe('--generations needs a value, as in --generations <value> (see tool --help)');
    expect(message(['--generations', '--', 'x'])).toMatch(/^--generations needs a value/);
    expect(message(['--json=yes'])).toMatch(/^--json is a switch and takes no value/);
  });

  it('reads a negative number after a flag as its value, and leaves everything after -- alone', () => {
    const parsed = parseFlags(['--seed', '-1', '--', 'train.py', '--lr', '-5'], OPTIONS, HINT, true);
    expect(parsed.values.seed).toBe('-1');
    expect(parsed.positionals).toEqual(['train.py', '--lr', '-5']);
    expect(parsed.args[parsed.terminator]).toBe('--');
  });
});
