import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { campaignKeys } from '@hyperevolve/contract';
import { TrialStore } from '@hyperevolve/trial-store';
import { deletePrefix, uniquePrefix } from './support/redis-prefix.js';
import { SAMPLE_RUN, SAMPLE_RUN_FIELDS } from './support/sample-run.js';

describe('start-trial-2.lua (TrialStore.start)', () => {
  let redis: Redis;
  let trials: TrialStore;
  const prefix = uniquePrefix('worker-lua');
  const keys = campaignKeys(prefix, 'exp');
  const run = SAMPLE_RUN;
  const runFields = SAMPLE_RUN_FIELDS;

  beforeAll(() => {
    redis = new Redis(inject('redisUrl'));
    trials = new TrialStore(redis, prefix);
  });

  afterAll(async () => {
    await deletePrefix(redis, prefix);
    redis.disconnect();
  });

  it.each([['queued', 1], ['running', 2]] as const)('marks a %s trial running with who, where and what', async (status, index) => {
    await redis.hset(keys.trial(index), { status, hyp: '{"lr0":0.01}', origin: 'population' });
    expect(await trials.start('exp', index, run)).toEqual({ marked: true });
    expect(await redis.hgetall(keys.trial(index))).toEqual({ status: 'running', hyp: '{"lr0":0.01}', origin: 'population', ...runFields });
  });

  it("replaces the previous run's fields, a GPU's uuid included", async () => {
    await redis.hset(keys.trial(3), { status: 'queued', hyp: '{}' });
    await trials.start('exp', 3, { ...run, worker: { ...run.worker, gpuUuid: 'GPU-1' } });
    expect(await redis.hget(keys.trial(3), 'gpuUuid')).toBe('GPU-1');
    await trials.start('exp', 3, { ...run, runName: '3-3', worker: { id: 'h:2:cpu', host: 'h', device: 'cpu' }, device: 'cpu' });
    expect(await redis.hmget(keys.trial(3), 'runName', 'worker', 'device', 'gpuUuid')).toEqual(['3-3', 'h:2:cpu', 'cpu', null]);
  });

  it.each([['succeeded', 10], ['failed', 11], ['cancelled', 12], ['surplus', 13]] as const)('leaves a %s trial alone', async (status, index) => {
    await redis.hset(keys.trial(index), { status });
    const outcome = await trials.start('exp', index, run);
    expect(outcome).toEqual({ marked: false, reason: `the trial is already ${status}` });
    expect(await redis.hgetall(keys.trial(index))).toEqual({ status });
  });

  it('does not create a missing trial', async () => {
    const outcome = await trials.start('exp', 20, run);
    expect(outcome.marked).toBe(false);
    expect(outcome.marked === false && outcome.reason).toMatch(/does not exist/);
    expect(await redis.exists(keys.trial(20))).toBe(0);
  });

  it('a trial hash without a status is not runnable', async () => {
    await redis.hset(keys.trial(21), { hyp: '{}' });
    expect(await trials.start('exp', 21, run)).toEqual({ marked: false, reason: 'the trial is already in an unknown state' });
  });

  // With 'gate' the start checks the campaign's status in the same script, instead of an HGET
  // of the status in a round trip before it.
  it.each(['paused', 'cancelled', 'done'])('a %s campaign: the queued trial is left as it was, and the refusal names the campaign status', async (status) => {
    const keys = campaignKeys(prefix, status);
    await redis.hset(keys.state, { status });
    await redis.hset(keys.trial(0), { status: 'queued', hyp: '{}' });
    expect(await trials.start(status, 0, run, { gate: true })).toEqual({ marked: false, reason: `the campaign is ${status}`, campaignStatus: status });
    expect(await redis.hgetall(keys.trial(0))).toEqual({ status: 'queued', hyp: '{}' });
  });

  it('a campaign without state: refused, with no status', async () => {
    const keys = campaignKeys(prefix, 'gone');
    await redis.hset(keys.trial(0), { status: 'queued' });
    expect(await trials.start('gone', 0, run, { gate: true })).toEqual({ marked: false, reason: 'the campaign has no state', campaignStatus: null });
    expect(await redis.hget(keys.trial(0), 'status')).toBe('queued');
  });

  it('a running campaign: marked as without the gate; a finished trial is still refused as the trial', async () => {
    const keys = campaignKeys(prefix, 'live');
    await redis.hset(keys.state, { status: 'running' });
    await redis.hset(keys.trial(0), { status: 'queued' });
    await redis.hset(keys.trial(1), { status: 'succeeded' });
    expect(await trials.start('live', 0, run, { gate: true })).toEqual({ marked: true });
    expect(await redis.hget(keys.trial(0), 'status')).toBe('running');
    expect(await trials.start('live', 1, run, { gate: true })).toEqual({ marked: false, reason: 'the trial is already succeeded' });
  });
});
