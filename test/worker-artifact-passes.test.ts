// Issue 24: the keeper's work is per batch, not per trial. Trials that end close together are
// looked at in one pass, and a kept run whose trial is final is sized once, not walked again on
// every pass. Real Redis, real directories; the trial store is the real one, its reads timed.
import { appendFile, lstat, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, inject, it, vi } from 'vitest';
import { campaignKeys, DiskUseSchema, diskUseField, type DiskUse } from '@hyperevolve/contract';
import { TrialStore } from '@hyperevolve/trial-store';
import { ArtifactKeeper, NOTE_PASS_SPACING_MS } from '../apps/worker/src/artifacts/artifact-keeper.js';
import type { ArtifactCampaign } from '../apps/worker/src/artifacts/kept-files.js';
import { deletePrefix, uniquePrefix } from './support/redis-prefix.js';

const settings = (keep: ArtifactCampaign['keep']): ArtifactCampaign => ({ keep, adapter: 'yolov5', adapterParams: {}, command: ['python', 'train.py'] });

describe('ArtifactKeeper: per batch, not per trial', () => {
  let redis: Redis;
  let workdir: string;
  const prefix = uniquePrefix('keeper-passes');
  const keepers: ArtifactKeeper[] = [];

  beforeAll(async () => {
    redis = new Redis(inject('redisUrl'));
    workdir = await mkdtemp(join(tmpdir(), 'keeper-passes-'));
  });

  afterAll(async () => {
    for (const keeper of keepers) keeper.stop();
    await deletePrefix(redis, prefix);
    redis.disconnect();
    await rm(workdir, { recursive: true, force: true });
  });

  /** A keeper whose passes are timed as they read the trials (once per campaign per pass); no interval pass during the test. */
  function timedKeeper(): { keeper: ArtifactKeeper; passes: number[] } {
    const store = new TrialStore(redis, prefix);
    const passes: number[] = [];
    const trials = {
      readRunNames: (name: string, indices: readonly number[]) => {
        passes.push(performance.now());
        return store.readRunNames(name, indices);
      },
    } as unknown as TrialStore;
    const keeper = new ArtifactKeeper({ redis, prefix, trials, workdir, host: 'h', intervalMs: 600_000, log: pino({ level: 'silent' }) });
    keepers.push(keeper);
    return { keeper, passes };
  }

  /** Trial `index` of `campaign` with its run `<index>-1` holding `files` (path → bytes). */
  async function trial(campaign: string, index: number, status: string, files: Record<string, number>): Promise<string> {
    const run = join(workdir, campaign, `${index}-1`);
    for (const [path, bytes] of Object.entries(files)) {
      await mkdir(join(run, path, '..'), { recursive: true });
      await writeFile(join(run, path), Buffer.alloc(bytes));
    }
    await redis.hset(campaignKeys(prefix, campaign).trial(index), { status, runName: `${index}-1` });
    return run;
  }

  async function report(campaign: string): Promise<DiskUse | undefined> {
    const raw = await redis.hget(campaignKeys(prefix, campaign).disk, diskUseField('h', workdir));
    return raw === null ? undefined : DiskUseSchema.parse(JSON.parse(raw));
  }

  /** Waits for a report newer than `after` (every pass writes one, at its end). */
  async function nextReport(campaign: string, after: DiskUse | undefined): Promise<DiskUse> {
    return vi.waitFor(async () => {
      const use = await report(campaign);
      if (use === undefined || use.at === after?.at) throw new Error(`no new report of campaign ${campaign} yet`);
      return use;
    }, { timeout: 15_000, interval: 50 });
  }

  const gone = async (path: string): Promise<boolean> => (await lstat(path).catch(() => null)) === null;

  it('trials that end within the spacing after a pass are all looked at in one pass after it', async () => {
    const campaign = 'burst';
    await redis.hset(campaignKeys(prefix, campaign).state, { status: 'running' });
    const { keeper, passes } = timedKeeper();
    const first = await trial(campaign, 0, 'succeeded', { 'weights/last.pt': 64, 'results.csv': 8 });
    keeper.note(campaign, settings({ mode: 'none', top: 3 }));
    await vi.waitFor(async () => expect(await gone(join(first, 'weights/last.pt'))).toBe(true), { timeout: 15_000 });

    // Eight trials end one after another, each noted once its result is recorded.
    const runs: string[] = [];
    for (let index = 1; index <= 8; index++) {
      runs.push(await trial(campaign, index, 'succeeded', { 'weights/last.pt': 64, 'results.csv': 8 }));
      keeper.note(campaign, settings({ mode: 'none', top: 3 }));
    }
    const noted = performance.now();
    await vi.waitFor(async () => {
      for (const run of runs) expect(await gone(join(run, 'weights/last.pt')), run).toBe(true);
    }, { timeout: 15_000, interval: 50 });
    keeper.stop();

    // Each pass starts a spacing after the one before (the times are of each pass's trial read,
    // a little after its start: half the spacing is room for that, a pass per trial is ms apart).
    for (let i = 1; i < passes.length; i++) expect((passes[i] ?? 0) - (passes[i - 1] ?? 0), `pass ${i + 1} after pass ${i}`).toBeGreaterThanOrEqual(NOTE_PASS_SPACING_MS / 2);
    // The notes while a pass was spaced out asked for no more: at most one pass per spacing
    // while they came, and one after the last (two in all when they came within a spacing).
    expect(passes.length).toBeLessThanOrEqual(Math.floor((noted - (passes[0] ?? 0)) / NOTE_PASS_SPACING_MS) + 2);
  });

  it('a kept run whose trial is final is sized once, again only when its directory changes; a running one each pass', async () => {
    const campaign = 'sized';
    await redis.hset(campaignKeys(prefix, campaign).state, { status: 'running' });
    const { keeper } = timedKeeper();
    const final = await trial(campaign, 0, 'succeeded', { 'weights/best.pt': 100, 'results.csv': 10 });
    const running = await trial(campaign, 1, 'running', { 'weights/last.pt': 50 });
    keeper.note(campaign, settings({ mode: 'all', top: 3 }));
    const sized = await nextReport(campaign, undefined);
    expect(sized).toMatchObject({ bytes: 160, runs: 2 });

    // Both runs' weights grow in place: their run directories' own entries stay as they were.
    await appendFile(join(final, 'weights/best.pt'), Buffer.alloc(1000));
    await appendFile(join(running, 'weights/last.pt'), Buffer.alloc(1000));
    keeper.note(campaign, settings({ mode: 'all', top: 3 }));
    const again = await nextReport(campaign, sized);
    // The running trial's run is walked again; the final one is not (a walk would count 1,000 more).
    expect(again.bytes).toBe(160 + 1000);

    // A file added at the top of the final run changes its directory: it is sized again.
    await writeFile(join(final, 'extra.txt'), Buffer.alloc(5));
    keeper.note(campaign, settings({ mode: 'all', top: 3 }));
    const changed = await nextReport(campaign, again);
    expect(changed.bytes).toBe(160 + 2000 + 5);
    keeper.stop();
  });
});
