import { lstat, mkdir, mkdtemp, readFile, readdir, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { dirBytes } from './dir-bytes.js';
import { LARGE_FILE_BYTES, pruneRunDir } from './prune-run-dir.js';

const dirs: string[] = [];
afterEach(async () => {
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

async function scratch(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'prune-run-dir-'));
  dirs.push(dir);
  return dir;
}

describe('pruneRunDir', () => {
  it('deletes weights, plots and large files at any depth; keeps small files and the named ones whatever their size', async () => {
    const run = join(await scratch(), '3-1');
    await mkdir(join(run, 'weights'), { recursive: true });
    await mkdir(join(run, 'deep', 'er'), { recursive: true });
    await writeFile(join(run, 'weights', 'best.pt'), Buffer.alloc(100));
    await writeFile(join(run, 'results.png'), Buffer.alloc(10));
    await writeFile(join(run, 'deep', 'er', 'cache.npy'), Buffer.alloc(LARGE_FILE_BYTES));
    await writeFile(join(run, 'deep', 'notes.txt'), 'small');
    await writeFile(join(run, 'results.csv'), 'epoch\n');
    await writeFile(join(run, 'train.log'), Buffer.alloc(LARGE_FILE_BYTES + 1));

    expect(await pruneRunDir(run, new Set(['train.log', 'results.csv']))).toEqual({ removed: 3, bytes: 110 + LARGE_FILE_BYTES });
    expect((await readdir(run)).sort()).toEqual(['deep', 'results.csv', 'train.log']);
    expect(await readdir(join(run, 'deep'))).toEqual(['notes.txt']);
    expect(await dirBytes(run)).toBe(LARGE_FILE_BYTES + 1 + 'epoch\n'.length + 'small'.length);
  });

  it('unlinks a link with a weights name without touching its target, never walks a linked folder, and counts links as nothing', async () => {
    const root = await scratch();
    const outside = join(root, 'outside');
    await mkdir(outside);
    await writeFile(join(outside, 'precious.pt'), 'keep me');
    const run = join(root, '0-1');
    await mkdir(join(run, 'weights'), { recursive: true });
    await symlink(join(outside, 'precious.pt'), join(run, 'weights', 'last.pt'));
    await symlink(outside, join(run, 'linked'));
    expect(await dirBytes(run)).toBe(0);

    expect(await pruneRunDir(run, new Set())).toEqual({ removed: 1, bytes: 0 });
    expect(await readFile(join(outside, 'precious.pt'), 'utf8')).toBe('keep me');
    expect((await lstat(join(run, 'linked'))).isSymbolicLink()).toBe(true);
    // A run directory that is itself a link is not a run directory.
    expect(await pruneRunDir(join(run, 'linked'), new Set())).toEqual({ removed: 0, bytes: 0 });
    expect(await readFile(join(outside, 'precious.pt'), 'utf8')).toBe('keep me');
  });
});
