import { describe, expect, it } from 'vitest';
import { RepeatedWarnings } from './repeated-warnings.js';

describe('status --watch: a standing warning prints once', () => {
  it('leaves out a warning the block before printed, keeps everything else, and prints one that comes back', () => {
    const aof = 'warning: Redis has no append-only file';
    const stray = '  warning: process 42 on box GPU 0 is on the GPU while no trial runs there';
    const watch = new RepeatedWarnings();
    expect(watch.drop(`${aof}\nexp  running 1/4\n${stray}\n`)).toBe(`${aof}\nexp  running 1/4\n${stray}\n`);
    expect(watch.drop(`${aof}\nexp  running 2/4\n${stray}\n`)).toBe('exp  running 2/4\n');
    expect(watch.drop('exp  running 3/4\n')).toBe('exp  running 3/4\n');
    expect(watch.drop(`${aof}\nexp  done 4/4\n`)).toBe(`${aof}\nexp  done 4/4\n`);
  });
});
