import { mkdirSync, mkdtempSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { findRunFile } from './run-file.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A trial directory, and a folder beside it the trainer must never be led into. */
function trialDir(): { trial: string; outside: string } {
  const root = mkdtempSync(join(tmpdir(), 'run-file-'));
  dirs.push(root);
  const trial = join(root, '7-2');
  const outside = join(root, 'elsewhere');
  mkdirSync(trial);
  mkdirSync(join(outside, 'vis_data'), { recursive: true });
  return { trial, outside };
}

/** Writes `path` (its folders made) with an mtime `age` seconds in the past. */
function write(path: string, age: number): void {
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, '{}\n');
  const when = Date.now() / 1000 - age;
  utimesSync(path, when, when);
}

describe('findRunFile: where a profile path of a run is', () => {
  it('takes a file directly in the trial directory as it is, without looking (openUntrusted checks the file)', async () => {
    const { trial } = trialDir();
    expect(await findRunFile(join(trial, 'results.csv'), trial)).toEqual({ kind: 'found', path: join(trial, 'results.csv') });
  });

  it("takes the newest match of a run-time folder's name, and waits while there is none", async () => {
    const { trial } = trialDir();
    const pattern = join(trial, '*', 'vis_data', 'scalars.json');
    expect(await findRunFile(pattern, trial)).toEqual({ kind: 'missing' });
    mkdirSync(join(trial, '20261207_101010', 'vis_data'), { recursive: true });
    expect(await findRunFile(pattern, trial)).toEqual({ kind: 'missing' });
    write(join(trial, '20261207_101010', 'vis_data', 'scalars.json'), 60);
    write(join(trial, '20261207_090000', 'vis_data', 'scalars.json'), 10);
    expect(await findRunFile(pattern, trial)).toEqual({ kind: 'found', path: join(trial, '20261207_090000', 'vis_data', 'scalars.json') });
  });

  it('matches part of a name (mmdetection 2: <timestamp>.log.json) and only regular files there', async () => {
    const { trial, outside } = trialDir();
    write(join(trial, '20261207_101010.log.json'), 30);
    write(join(outside, 'x.log.json'), 0);
    symlinkSync(join(outside, 'x.log.json'), join(trial, 'zz.log.json'));
    mkdirSync(join(trial, 'folder.log.json'));
    expect(await findRunFile(join(trial, '*.log.json'), trial)).toEqual({ kind: 'found', path: join(trial, '20261207_101010.log.json') });
  });

  it('never follows a link out of the run: a linked folder is passed over as a match and refused on the way', async () => {
    const { trial, outside } = trialDir();
    write(join(outside, 'vis_data', 'scalars.json'), 0);
    symlinkSync(outside, join(trial, '99999999_999999'));
    expect(await findRunFile(join(trial, '*', 'vis_data', 'scalars.json'), trial)).toEqual({ kind: 'missing' });
    write(join(trial, '20261207_101010', 'vis_data', 'scalars.json'), 60);
    expect(await findRunFile(join(trial, '*', 'vis_data', 'scalars.json'), trial)).toEqual({ kind: 'found', path: join(trial, '20261207_101010', 'vis_data', 'scalars.json') });
    symlinkSync(outside, join(trial, 'work'));
    const refused = await findRunFile(join(trial, 'work', 'vis_data', 'scalars.json'), trial);
    expect(refused).toMatchObject({ kind: 'refused', why: expect.stringMatching(/work is a symbolic link/) as unknown });
  });

  it('refuses a path outside the trial directory or one with .. (a profile bug, not the trainer)', async () => {
    const { trial } = trialDir();
    await expect(findRunFile('/etc/passwd', trial)).rejects.toThrow(/not inside the run's directory/);
    await expect(findRunFile(join(trial, 'a', '..', '..', 'x'), trial)).rejects.toThrow(/inside the run's directory/);
  });
});
