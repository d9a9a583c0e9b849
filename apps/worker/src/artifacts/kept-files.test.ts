import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { keptFiles } from './kept-files.js';

const dirs: string[] = [];
afterEach(async () => {
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

describe('keptFiles', () => {
  it("keeps the profile's files of the run, a path with * as the file found there", async () => {
    const project = await mkdtemp(join(tmpdir(), 'kept-files-'));
    dirs.push(project);
    await mkdir(join(project, '0-1', '20261207_101010'), { recursive: true });
    await writeFile(join(project, '0-1', '20261207_101010', 'log.jsonl'), '{"epoch": 0}\n');
    const campaign = { keep: { mode: 'none' as const, top: 3 }, adapter: 'generic' as const, adapterParams: { progress: '*/log.jsonl' }, command: ['fit'] };
    const kept = await keptFiles(campaign, project, '0-1');
    expect(kept).toContain('20261207_101010/log.jsonl');
    expect(kept).toContain('hyp.yaml');
    // Written nowhere (metrics.json is missing): nothing to keep for it.
    expect([...kept].some((path) => path.includes('*'))).toBe(false);
    expect(await keptFiles({ ...campaign, adapterParams: {} }, project, '0-1')).toEqual(new Set(['hyp.yaml', 'command.txt', 'train.log', 'opt.yaml', 'args.yaml', 'metrics.json', 'progress.jsonl']));
  });
});
