import { describe, expect, it } from 'vitest';
import { isLive, parseProcStat, readProcStat } from './proc-stat.js';

describe('parseProcStat', () => {
  it('counts fields from the last parenthesis, so odd command names do not shift them', () => {
    const line = '4242 (python3 (train) x) S 1 4242 4242 0 -1 4194560 100 0 0 0 5 1 0 0 20 0 3 0 987654 1000 10 0 0 0';
    expect(parseProcStat(line)).toEqual({ pid: 4242, state: 'S', pgrp: 4242, startTime: '987654' });
  });

  it('refuses a line that is not a stat line', () => {
    expect(parseProcStat('garbage')).toBeUndefined();
    expect(parseProcStat('12 (x) S 1')).toBeUndefined();
  });

  it.runIf(process.platform === 'linux')('reads this process, and nothing for a pid that does not exist', async () => {
    const self = await readProcStat(process.pid);
    expect(isLive(self)).toBe(true);
    expect(self?.pid).toBe(process.pid);
    expect(await readProcStat(2 ** 22 + 1)).toBeUndefined();
  });
});
