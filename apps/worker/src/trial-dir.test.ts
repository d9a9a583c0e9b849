import { mkdtemp, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createTrialDir } from './trial-dir.js';

describe('createTrialDir', () => {
  it('names runs <index>-<attempt> and adds -r2, -r3 when a re-run of the same attempt finds its directory', async () => {
    const workdir = await mkdtemp(join(tmpdir(), 'worker-dir-'));
    const first = await createTrialDir(workdir, 'exp', 4, 1);
    expect(first).toEqual({ runName: '4-1', projectDir: join(workdir, 'exp'), path: join(workdir, 'exp', '4-1') });
    expect((await createTrialDir(workdir, 'exp', 4, 1)).runName).toBe('4-1-r2');
    expect((await createTrialDir(workdir, 'exp', 4, 1)).runName).toBe('4-1-r3');
    expect((await createTrialDir(workdir, 'exp', 4, 2)).runName).toBe('4-2');
  });

  it('never hands the same directory to two concurrent callers', async () => {
    const workdir = await mkdtemp(join(tmpdir(), 'worker-dir-'));
    const dirs = await Promise.all(Array.from({ length: 8 }, () => createTrialDir(workdir, 'exp', 0, 1)));
    expect(new Set(dirs.map((dir) => dir.runName)).size).toBe(8);
    expect((await readdir(join(workdir, 'exp'))).length).toBe(8);
  });
});
