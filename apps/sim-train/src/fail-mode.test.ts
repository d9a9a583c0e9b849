import { describe, expect, it } from 'vitest';
import { decideFailure, parseFailMode, type FailMode } from './fail-mode.js';

describe('fail modes', () => {
  it('parses every mode', () => {
    expect(parseFailMode('exit:0')).toEqual({ kind: 'exit', code: 0 });
    expect(parseFailMode('exit:137')).toEqual({ kind: 'exit', code: 137 });
    expect(parseFailMode('signal:SIGTERM')).toEqual({ kind: 'signal', signal: 'SIGTERM' });
    expect(parseFailMode('signal:segv')).toEqual({ kind: 'signal', signal: 'SIGSEGV' });
    for (const kind of ['hang', 'hang-ignore-term', 'hang-with-child', 'garbage', 'nan', 'no-results', 'random']) {
      expect(parseFailMode(kind)).toEqual({ kind });
    }
    expect(parseFailMode('exit:')).toMatch(/unknown mode/);
    expect(parseFailMode('hang ')).toMatch(/unknown mode/);
  });

  it('decides from (seed, run name) alone, at about the given rate', () => {
    const mode: FailMode = { kind: 'garbage' };
    const names = Array.from({ length: 1000 }, (_, i) => `trial-${i}-a1`);
    const decisions = names.map((name) => decideFailure(mode, 0.3, 5, name));
    expect(names.map((name) => decideFailure(mode, 0.3, 5, name))).toEqual(decisions);
    const failed = decisions.filter((d) => d !== undefined).length;
    expect(failed).toBeGreaterThan(240);
    expect(failed).toBeLessThan(360);
    expect(names.map((name) => decideFailure(mode, 0.3, 6, name))).not.toEqual(decisions);
  });

  it('never fails at rate 0 or without a mode, always at rate 1', () => {
    expect(decideFailure({ kind: 'nan' }, 0, 0, 'x')).toBeUndefined();
    expect(decideFailure(undefined, 1, 0, 'x')).toBeUndefined();
    expect(decideFailure({ kind: 'nan' }, 1, 0, 'x')).toEqual({ kind: 'nan' });
  });

  it('makes random one of the modes that end by themselves, each of them sometimes', () => {
    const picked = new Set(
      Array.from({ length: 300 }, (_, i) => JSON.stringify(decideFailure({ kind: 'random' }, 1, 0, `t${i}`))),
    );
    expect([...picked].sort()).toEqual(
      [{ kind: 'exit', code: 1 }, { kind: 'signal', signal: 'SIGKILL' }, { kind: 'garbage' }, { kind: 'nan' }, { kind: 'no-results' }]
        .map((m) => JSON.stringify(m))
        .sort(),
    );
  });
});
