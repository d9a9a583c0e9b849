import { mkdtemp, mkdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, inject, it, vi } from 'vitest';
import { campaignKeys, diskUseField } from '@hyperevolve/contract';
import { TrialStore } from '@hyperevolve/trial-store';
import { ArtifactKeeper } from '../apps/worker/src/artifacts/artifact-keeper.js';
import { deletePrefix, uniquePrefix } from './support/redis-prefix.js';

// The keeper judges a run by its trial's status and the campaign's top K. A result recorded
// between the two reads (record-result-8.lua sets the status and adds to the population at
// once) must not make the new best trial look final but outside the top K: its weights deleted.
describe('ArtifactKeeper: which runs are the K kept', () => {
  let redis: Redis;
  let workdir: string;
  const prefix = uniquePrefix('keeper-race');

  beforeAll(async () => {
    redis = new Redis(inject('redisUrl'));
    workdir = await mkdtemp(join(tmpdir(), 'keeper-race-'));
  });

  afterAll(async () => {
    await deletePrefix(redis, prefix);
    redis.disconnect();
    await rm(workdir, { recursive: true, force: true });
  });

  it('keeps the weights of a trial that enters the top K while the keeper reads', async () => {
    const campaign = 'race';
    const keys = campaignKeys(prefix, campaign);
    await redis.hset(keys.state, { status: 'running' });
    await redis.hset(keys.trial(0), { status: 'running', runName: '0-1' });
    const weights = join(workdir, campaign, '0-1', 'weights');
    await mkdir(weights, { recursive: true });
    await writeFile(join(weights, 'best.pt'), 'weights');

    const store = new TrialStore(redis, prefix);
    // The recorder records trial 0's result (as record-result-8.lua: status and population
    // together) just as the keeper asks for its trials' statuses.
    const trials = {
      readRunNames: async (name: string, indices: readonly number[]) => {
        await redis.multi().hset(keys.trial(0), { status: 'succeeded', fitness: '0.5' }).zadd(keys.population, 0.5, '0').exec();
        return store.readRunNames(name, indices);
      },
    } as unknown as TrialStore;
    const keeper = new ArtifactKeeper({ redis, prefix, trials, workdir, host: 'h', intervalMs: 60_000, log: pino({ level: 'silent' }) });
    keeper.note(campaign, { keep: { mode: 'best', top: 1 }, adapter: 'yolov5', adapterParams: {}, command: ['python', 'train.py'] });
    await vi.waitFor(async () => expect(await redis.hget(keys.disk, diskUseField('h', workdir))).not.toBeNull(), { timeout: 10_000 });
    keeper.stop();
    expect((await stat(join(weights, 'best.pt'))).isFile()).toBe(true);
  });

  // Trials 0..importedRows-1 came from --seed-from: fitter than any run yet, but with no weights
  // anywhere; the K kept are the fittest trials that ran.
  it('best:K counts only trials that ran, not the imported rows', async () => {
    const campaign = 'seeded';
    const keys = campaignKeys(prefix, campaign);
    await redis.set(keys.config, JSON.stringify({ importedRows: 2 }));
    await redis.hset(keys.state, { status: 'running' });
    await redis.zadd(keys.population, 0.9, '0', 0.8, '1', 0.3, '2');
    await redis.hset(keys.trial(2), { status: 'succeeded', runName: '2-1' });
    const weights = join(workdir, campaign, '2-1', 'weights');
    await mkdir(weights, { recursive: true });
    await writeFile(join(weights, 'best.pt'), 'weights');
    const keeper = new ArtifactKeeper({ redis, prefix, trials: new TrialStore(redis, prefix), workdir, host: 'h', intervalMs: 60_000, log: pino({ level: 'silent' }) });
    keeper.note(campaign, { keep: { mode: 'best', top: 1 }, adapter: 'yolov5', adapterParams: {}, command: ['python', 'train.py'] });
    await vi.waitFor(async () => expect(await redis.hget(keys.disk, diskUseField('h', workdir))).not.toBeNull(), { timeout: 10_000 });
    keeper.stop();
    expect((await stat(join(weights, 'best.pt'))).isFile()).toBe(true);
  });
});
