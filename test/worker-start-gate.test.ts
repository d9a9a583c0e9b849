import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { campaignKeys } from '@hyperevolve/contract';
import { TrialStore } from '@hyperevolve/trial-store';
import { deletePrefix, uniquePrefix } from './support/redis-prefix.js';
import { SAMPLE_RUN } from './support/sample-run.js';

// The worker's start of a run checks its campaign's status in the same script (start-trial-2.lua
// with 'gate'), instead of an HGET of the status in a round trip before it.
describe('start-trial-2.lua with the campaign gate (TrialStore.start, gate)', () => {
  let redis: Redis;
  let trials: TrialStore;
  const prefix = uniquePrefix('start-gate');

  beforeAll(() => {
    redis = new Redis(inject('redisUrl'));
    trials = new TrialStore(redis, prefix);
  });

  afterAll(async () => {
    await deletePrefix(redis, prefix);
    redis.disconnect();
  });

  it.each(['paused', 'cancelled', 'done'])('a %s campaign: the queued trial is left as it was, and the refusal names the campaign status', async (status) => {
    const keys = campaignKeys(prefix, status);
    await redis.hset(keys.state, { status });
    await redis.hset(keys.trial(0), { status: 'queued', hyp: '{}' });
    expect(await trials.start(status, 0, SAMPLE_RUN, { gate: true })).toEqual({ marked: false, reason: `the campaign is ${status}`, campaignStatus: status });
    expect(await redis.hgetall(keys.trial(0))).toEqual({ status: 'queued', hyp: '{}' });
  });

  it('a campaign without state: refused, with no status', async () => {
    const keys = campaignKeys(prefix, 'gone');
    await redis.hset(keys.trial(0), { status: 'queued' });
    expect(await trials.start('gone', 0, SAMPLE_RUN, { gate: true })).toEqual({ marked: false, reason: 'the campaign has no state', campaignStatus: null });
    expect(await redis.hget(keys.trial(0), 'status')).toBe('queued');
  });

  it('a running campaign: marked as without the gate; a finished trial is still refused as the trial', async () => {
    const keys = campaignKeys(prefix, 'live');
    await redis.hset(keys.state, { status: 'running' });
    await redis.hset(keys.trial(0), { status: 'queued' });
    await redis.hset(keys.trial(1), { status: 'succeeded' });
    expect(await trials.start('live', 0, SAMPLE_RUN, { gate: true })).toEqual({ marked: true });
    expect(await redis.hget(keys.trial(0), 'status')).toBe('running');
    expect(await trials.start('live', 1, SAMPLE_RUN, { gate: true })).toEqual({ marked: false, reason: 'the trial is already succeeded' });
  });
});
