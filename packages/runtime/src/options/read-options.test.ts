import { describe, expect, it } from 'vitest';
import { ConfigError } from '../config-error.js';
import { choiceOption, envMillisecondsOption, integerOption, pathOption, required, switchOption, textOption } from './option-builders.js';
import { readOptions } from './read-options.js';
import { renderEnvironment, renderFlags } from './render-options.js';

const TABLE = {
  count: integerOption({ flag: 'count', min: 1, default: 5, help: 'how many', env: 'COUNT' }),
  mode: choiceOption({ flag: 'mode', choices: ['a', 'b'] as const, help: 'which' }),
  name: required(textOption({ flag: 'name', value: 'C', help: 'the name', once: true }), 'demo: --name is required'),
  out: pathOption({ flag: 'out', value: 'DIR', default: 'runs', help: 'where' }),
  loud: switchOption({ flag: 'loud', help: 'say more' }),
  lockMs: envMillisecondsOption({ env: 'LOCK_MS', default: 1000, help: 'lock' }),
};

const read = (argv: string[], env: Record<string, string> = {}) => {
  const result = readOptions(TABLE, argv, env, { hint: 'see demo --help' });
  if (result.help) throw new Error('unexpected help');
  return result.values;
};

function refusal(argv: string[], env: Record<string, string> = {}): string {
  try {
    read(argv, env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error('expected a ConfigError');
}

describe('readOptions', () => {
  it('gives each option its declared default, the flag before its variable, a blank variable as unset', () => {
    const values = read(['--name', 'x']);
    expect(values).toMatchObject({ count: 5, mode: null, name: 'x', loud: false, lockMs: 1000 });
    expect(values.out).toMatch(/^\/.*\/runs$/);
    expect(read(['--name', 'x'], { COUNT: '7', LOCK_MS: '2000' })).toMatchObject({ count: 7, lockMs: 2000 });
    expect(read(['--name', 'x', '--count', '9', '--loud'], { COUNT: '7' })).toMatchObject({ count: 9, loud: true });
    expect(read(['--name', 'x'], { COUNT: '  ' }).count).toBe(5);
  });

  it('names the flag or the variable a bad value came from', () => {
    expect(refusal(['--name', 'x', '--count', '0'])).toBe('--count: 0 is out of range; expected an integer ≥ 1, e.g. --count 10');
    expect(refusal(['--name', 'x'], { COUNT: 'many' })).toBe('COUNT: "many" is not a whole number; expected an integer ≥ 1, e.g. COUNT=10');
    expect(refusal(['--name', 'x', '--mode', 'c'])).toBe('--mode: "c" is not one of a, b');
    expect(refusal(['--name', 'x'], { LOCK_MS: '5' })).toBe('LOCK_MS: "5" is not a whole number of milliseconds ≥ 100; e.g. LOCK_MS=1000');
    expect(refusal([])).toBe('demo: --name is required');
    expect(refusal(['--name', 'x', '--name', 'y'])).toBe('--name was given 2 times (x, then y); give it once (see demo --help)');
    expect(refusal(['--nam', 'x'])).toBe('unknown flag --nam; did you mean --name? (see demo --help)');
  });

  it('answers --help before checking anything', () => {
    expect(readOptions(TABLE, ['--count', 'zero', '-h'], {}, { hint: '' })).toEqual({ help: true });
  });

  it('renders each flag once with its value, help, variable and default, and the variables', () => {
    const flags = renderFlags(TABLE);
    expect(flags).toContain('  --count N                how many (env COUNT; default 5)');
    expect(flags).toContain('  --mode a|b               which');
    expect(flags).toContain('  --name C                 the name (required)');
    expect(flags).toContain('  --loud                   say more');
    expect(renderEnvironment(TABLE)).toBe(['  COUNT                          default for --count', '  LOCK_MS                        lock (default 1000)'].join('\n'));
  });
});
