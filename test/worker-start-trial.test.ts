import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { StartTrial } from '../apps/worker/src/redis/start-trial.js';
import { deletePrefix, uniquePrefix } from './support/redis-prefix.js';

describe('start-trial-1.lua', () => {
  let redis: Redis;
  let startTrial: StartTrial;
  const prefix = uniquePrefix('worker-lua');
  const fields = {
    attempt: 2,
    runName: '5-2',
    worker: 'h:1:0',
    host: 'h',
    device: '0',
    startedAt: 1700000000000,
    trialDir: '/w/exp/5-2',
    logPath: '/w/exp/5-2/train.log',
    command: ['python', 'train.py', '--name', "it's"],
  };

  beforeAll(() => {
    redis = new Redis(inject('redisUrl'));
    startTrial = new StartTrial(redis);
  });

  afterAll(async () => {
    await deletePrefix(redis, prefix);
    redis.disconnect();
  });

  it.each(['queued', 'running'])('marks a %s trial running with who, where and what', async (status) => {
    const key = `${prefix}:trial-${status}`;
    await redis.hset(key, { status, hyp: '{"lr0":0.01}', origin: 'mutation' });
    expect(await startTrial.run(key, fields)).toEqual({ marked: true });
    expect(await redis.hgetall(key)).toEqual({
      status: 'running',
      hyp: '{"lr0":0.01}',
      origin: 'mutation',
      attempt: '2',
      runName: '5-2',
      worker: 'h:1:0',
      host: 'h',
      device: '0',
      startedAt: '1700000000000',
      trialDir: '/w/exp/5-2',
      logPath: '/w/exp/5-2/train.log',
      command: JSON.stringify(fields.command),
    });
  });

  it.each(['succeeded', 'failed', 'cancelled', 'surplus'])('leaves a %s trial alone', async (status) => {
    const key = `${prefix}:trial-${status}`;
    await redis.hset(key, { status });
    const outcome = await startTrial.run(key, fields);
    expect(outcome).toEqual({ marked: false, reason: `the trial is already ${status}` });
    expect(await redis.hgetall(key)).toEqual({ status });
  });

  it('does not create a missing trial', async () => {
    const key = `${prefix}:trial-missing`;
    const outcome = await startTrial.run(key, fields);
    expect(outcome.marked).toBe(false);
    expect(outcome.marked === false && outcome.reason).toMatch(/does not exist/);
    expect(await redis.exists(key)).toBe(0);
  });

  it('a trial hash without a status is not runnable', async () => {
    const key = `${prefix}:trial-nostatus`;
    await redis.hset(key, { hyp: '{}' });
    expect(await startTrial.run(key, fields)).toEqual({ marked: false, reason: 'the trial is already in an unknown state' });
  });
});
