import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { campaignKeys } from '@hyperevolve/contract';
import type { FailureKind } from '@hyperevolve/contract';
import { TrialStore, type RecordOutcome } from '@hyperevolve/trial-store';
import { extendBudget, setCampaignStatus } from '../apps/scheduler/src/redis/scripts.js';
import { deletePrefix, uniquePrefix } from './support/redis-prefix.js';
import { sampleRun } from './support/sample-run.js';

const redisUrl = inject('redisUrl');
let redis: Redis;
let prefix: string;

beforeAll(() => {
  redis = new Redis(redisUrl);
});
afterAll(async () => {
  await redis.quit();
});
afterEach(async () => {
  await deletePrefix(redis, prefix);
});

async function campaign(budget: number): Promise<ReturnType<typeof campaignKeys>> {
  prefix = uniquePrefix('lua');
  const keys = campaignKeys(prefix, 'exp');
  await redis.hset(keys.state, { status: 'running', budget, nextIndex: 0, recorded: 0, failed: 0, consecutiveFailures: 0 });
  return keys;
}

async function issue(_keys: ReturnType<typeof campaignKeys>, index: number, fingerprint = `fp${index}`, reissueOf?: number) {
  const [outcome] = await new TrialStore(redis, prefix).issue('exp', [{ index, fingerprint, hyp: {}, origin: 'base', parents: [], pool: [], poolSize: 0, draws: 1, createdAt: 0, ...(reissueOf === undefined ? {} : { reissueOf }) }]);
  return outcome;
}

/** One run's result for trial `index` of campaign exp, through the trial store (record-result-8.lua). */
async function recordResult(
  client: Redis,
  _keys: ReturnType<typeof campaignKeys>,
  index: number,
  outcome: RecordOutcome,
  fitness: number,
  maxConsecutiveFailures: number,
  run: { runName?: string; error?: `${FailureKind}: ${string}` },
) {
  const [kind, message] = (run.error ?? '').split(': ') as [FailureKind, string];
  return new TrialStore(client, prefix).record('exp', index, {
    outcome, fitness, maxConsecutiveFailures, runName: run.runName ?? '', unstartedRun: null, startedAt: 0, endedAt: 1, metrics: null,
    failure: run.error === undefined ? null : { kind, message },
  });
}

/** A worker starts run `runName` of trial `index` (start-trial-2.lua). */
async function start(index: number, runName: string, worker: string) {
  return new TrialStore(redis, prefix).start('exp', index, sampleRun({ attempt: 1, runName, worker: { id: worker, host: 'h', device: '0' }, device: '0', startedAt: 0, trialDir: '', logPath: '', command: [] }));
}

describe('issue-trial-4.lua', () => {
  it('issues in order, refuses stale indices, duplicates and anything beyond the budget', async () => {
    const keys = await campaign(3);
    expect(await issue(keys, 0)).toEqual({ ok: true, index: 0 });
    expect(await issue(keys, 0, 'other')).toEqual({ ok: false, reason: 'stale-index' });
    expect(await issue(keys, 1, 'fp0')).toEqual({ ok: false, reason: 'duplicate' });
    expect(await issue(keys, 1)).toEqual({ ok: true, index: 1 });
    expect(await issue(keys, 2)).toEqual({ ok: true, index: 2 });
    expect(await issue(keys, 3)).toEqual({ ok: false, reason: 'budget-full' });
    expect(await redis.scard(keys.inflight)).toBe(3);
  });

  it('issues hyps again only in place of the index they were issued to (the failed base trial run again)', async () => {
    const keys = await campaign(5);
    await issue(keys, 0, 'base');
    expect(await issue(keys, 1, 'base', 7)).toEqual({ ok: false, reason: 'duplicate' });
    expect(await issue(keys, 1, 'base', 0)).toEqual({ ok: true, index: 1 });
    expect(await redis.hget(keys.issued, 'base')).toBe('1');
    // Another replica that also saw trial 0 failed comes second: a duplicate now.
    expect(await issue(keys, 2, 'base', 0)).toEqual({ ok: false, reason: 'duplicate' });
  });

  it('issues nothing while the campaign is paused', async () => {
    const keys = await campaign(3);
    await setCampaignStatus(redis, prefix, 'exp', 'pause', 'test');
    expect(await issue(keys, 0)).toEqual({ ok: false, reason: 'not-running' });
  });

  it('a failed trial frees its slot in the budget', async () => {
    const keys = await campaign(1);
    await issue(keys, 0);
    expect(await issue(keys, 1)).toEqual({ ok: false, reason: 'budget-full' });
    await recordResult(redis, keys, 0, 'failed', Number.NaN, 10, { error: 'exit-code: 1' });
    expect(await issue(keys, 1)).toEqual({ ok: true, index: 1 });
  });
});

describe('note-failure-1.lua', () => {
  const note = (signature: string | null, final: boolean) =>
    new TrialStore(redis, prefix).noteFailure({ campaign: 'exp', signature, final, kind: 'exit-code', message: 'the trainer exited with code 1; last lines of /x/train.log:\nImportError: torch' });

  it('counts trials in a row failing with one signature, pauses at 3 with the lines and the fix; a recorded trial or another failure ends the streak', async () => {
    const keys = await campaign(5);
    expect(await note('s', false)).toEqual({ same: 0, campaignStatus: 'running' });
    expect(await note('s', true)).toEqual({ same: 1, campaignStatus: 'running' });
    expect(await note('s', true)).toEqual({ same: 2, campaignStatus: 'running' });
    await redis.hincrby(keys.state, 'recorded', 1);
    expect(await note('s', true)).toEqual({ same: 1, campaignStatus: 'running' });
    expect(await note('t', true)).toEqual({ same: 1, campaignStatus: 'running' });
    expect(await note(null, true)).toEqual({ same: 0, campaignStatus: 'running' });
    expect(await redis.hget(keys.state, 'failureSignature')).toBeNull();
    await note('t', true);
    await note('t', true);
    expect(await note('t', true)).toEqual({ same: 3, campaignStatus: 'paused' });
    const reason = await redis.hget(keys.state, 'pausedReason');
    expect(reason).toMatch(/^circuit breaker: 3 trials in a row failed the same way \(exit-code\).*\n {4}ImportError: torch\n {2}Check .*scheduler resume --name exp/s);
    // A run in flight failing the same way after the pause counts on, but the reason stays (told once).
    expect(await note('t', true)).toEqual({ same: 4, campaignStatus: 'paused' });
    expect(await redis.hget(keys.state, 'pausedReason')).toBe(reason);
    // Resume: the streak and the signature are gone, the failures so far cleared from status.
    await redis.hset(keys.state, 'failed', 6);
    await setCampaignStatus(redis, prefix, 'exp', 'resume');
    expect(await redis.hmget(keys.state, 'status', 'failureSignature', 'sameFailures', 'clearedFailures')).toEqual(['running', null, null, '6']);
    expect(await note('t', true)).toEqual({ same: 1, campaignStatus: 'running' });
  });

  it('replaces the breaker\'s reason with its own, never the user\'s', async () => {
    const keys = await campaign(5);
    await redis.hset(keys.state, { status: 'paused', pausedReason: 'circuit breaker: 3 trials failed in a row; read their logs' });
    for (let i = 0; i < 3; i++) await note('s', true);
    expect(await redis.hget(keys.state, 'pausedReason')).toMatch(/^circuit breaker: 3 trials in a row failed the same way/);
    await redis.hset(keys.state, { pausedReason: 'paused by the user (scheduler pause)' });
    await note('s', true);
    expect(await redis.hget(keys.state, 'pausedReason')).toBe('paused by the user (scheduler pause)');
  });
});

describe('record-result-8.lua', () => {
  it('records a pruned trial final: out of the population, the rows and the budget, on the pruned list, ending the failure streak', async () => {
    const keys = await campaign(2);
    await issue(keys, 0);
    await issue(keys, 1);
    await recordResult(redis, keys, 0, 'failed', Number.NaN, 10, { error: 'exit-code: 1' });
    await start(1, '1-1', 'w1');
    const store = new TrialStore(redis, prefix);
    const reply = await store.record('exp', 1, {
      outcome: 'pruned', fitness: Number.NaN, maxConsecutiveFailures: 10, runName: '1-1', unstartedRun: null, startedAt: 1000, endedAt: 7000,
      metrics: { 'metrics/mAP_0.5': 0.1 }, failure: null, pruned: { rung: 1, fitness: 0.05, cut: 0.2 },
    });
    expect(reply).toMatchObject({ code: 'recorded', recorded: 0, bestChanged: false, campaignStatus: 'running' });
    expect(await redis.hget(keys.trial(1), 'status')).toBe('pruned');
    expect(await redis.zcard(keys.population)).toBe(0);
    expect(await redis.llen(keys.rows)).toBe(0);
    expect(await redis.smembers(keys.inflight)).toEqual([]);
    expect(await redis.lrange(keys.pruned, 0, -1)).toEqual(['1']);
    expect(await redis.hmget(keys.state, 'pruned', 'prunedMs', 'recorded', 'consecutiveFailures')).toEqual(['1', '6000', '0', '0']);
    const [pruned] = await store.readPruned('exp', 3);
    expect(pruned).toMatchObject({ index: 1, rung: 1, fitness: 0.05, cut: 0.2, durationMs: 6000 });
    // Final: a late second delivery changes nothing, and the budget's slot is free again.
    expect((await recordResult(redis, keys, 1, 'succeeded', 0.9, 10, { runName: '1-1' })).code).toBe('already-final');
    expect(await issue(keys, 2)).toEqual({ ok: true, index: 2 });
  });

  it('records a worker\'s own run (whileServed) only while the campaign\'s served mark is there and the run holds the trial; otherwise nothing changes', async () => {
    const keys = await campaign(2);
    await issue(keys, 0);
    await start(0, '0-1', 'w1');
    const store = new TrialStore(redis, prefix);
    const run = { outcome: 'succeeded' as const, fitness: 0.5, maxConsecutiveFailures: 10, runName: '0-1', unstartedRun: null, startedAt: 0, endedAt: 1, metrics: { 'metrics/mAP_0.5': 0.5 }, failure: null, whileServed: true };
    expect(await store.record('exp', 0, run)).toMatchObject({ code: 'unserved', recorded: 0 });
    expect(await redis.hmget(keys.trial(0), 'status', 'metrics', 'runEndedAt')).toEqual(['running', null, null]);
    expect(await redis.llen(keys.rows)).toBe(0);
    await redis.set(keys.served, '1', 'PX', 5000);
    // Another run holds the trial now (its job went to another worker): nothing changes either.
    expect(await store.record('exp', 0, { ...run, runName: '0-1-r2' })).toMatchObject({ code: 'not-holder', recorded: 0 });
    expect(await redis.hget(keys.trial(0), 'status')).toBe('running');
    expect(await store.record('exp', 0, run)).toMatchObject({ code: 'recorded', recorded: 1, bestChanged: true });
    expect(await redis.lrange(keys.rows, 0, -1)).toEqual(['0']);
    // The scheduler's own recording does not ask for the mark.
    await redis.del(keys.served);
    await issue(keys, 1);
    expect((await recordResult(redis, keys, 1, 'succeeded', 0.4, 10, { runName: '1-1' })).code).toBe('recorded');
  });

  it('records a trial at most once', async () => {
    const keys = await campaign(2);
    await issue(keys, 0);
    await start(0, '0-1', 'w1');
    const first = await recordResult(redis, keys, 0, 'succeeded', 0.5, 10, { runName: '0-1' });
    const again = await recordResult(redis, keys, 0, 'succeeded', 0.9, 10, { runName: '0-2' });
    expect(first.code).toBe('recorded');
    expect(again.code).toBe('already-final');
    expect(await redis.lrange(keys.rows, 0, -1)).toEqual(['0']);
    expect(await redis.hget(keys.trial(0), 'fitness')).toBe('0.5');
    expect(await redis.hget(keys.trial(0), 'runName')).toBe('0-1');
    expect(await redis.hget(keys.state, 'recorded')).toBe('1');
  });

  it('ends the campaign at the budget', async () => {
    const keys = await campaign(1);
    await issue(keys, 0);
    const reply = await recordResult(redis, keys, 0, 'succeeded', 0.5, 10, {});
    expect(reply.campaignStatus).toBe('done');
    expect(await redis.hget(keys.state, 'status')).toBe('done');
  });

  it('best equals the maximum even with many concurrent recorders', async () => {
    const n = 200;
    const keys = await campaign(n);
    for (let i = 0; i < n; i++) await issue(keys, i);
    const clients = Array.from({ length: 8 }, () => new Redis(redisUrl));
    const values = Array.from({ length: n }, (_, i) => Math.sin(i * 12.9898) * 0.5 + 0.5);
    await Promise.all(values.map((v, i) => recordResult(clients[i % clients.length]!, keys, i, 'succeeded', v, 10, {})));
    await Promise.all(clients.map((c) => c.quit()));
    const state = await redis.hgetall(keys.state);
    expect(Number(state.bestFitness)).toBe(Math.max(...values));
    expect(values[Number(state.bestTrial)]).toBe(Math.max(...values));
    expect(Number(state.recorded)).toBe(n);
  });

  it('an attempt failure is noted without recording; a final failure counts and trips the circuit breaker', async () => {
    const keys = await campaign(10);
    for (let i = 0; i < 3; i++) await issue(keys, i);
    expect((await recordResult(redis, keys, 0, 'attempt-failed', Number.NaN, 2, { error: 'exit-code: 3' })).code).toBe('attempt-noted');
    expect(await redis.hget(keys.trial(0), 'status')).toBe('queued');
    await recordResult(redis, keys, 0, 'failed', Number.NaN, 2, { error: 'exit-code: 3' });
    const second = await recordResult(redis, keys, 1, 'failed', Number.NaN, 2, { error: 'timeout: 1s' });
    expect(second.campaignStatus).toBe('paused');
    const state = await redis.hgetall(keys.state);
    expect(state.failed).toBe('2');
    expect(state.pausedReason).toBe('circuit breaker: 2 trials failed in a row; read their logs (scheduler status), fix the command, then scheduler resume');
    expect(await redis.lrange(keys.failures, 0, -1)).toEqual(['0', '1']);
    expect(await redis.zcard(keys.population)).toBe(0);
  });

  it('the pause reason (written by TypeScript, counted by the script) names the fix for a command the workers refuse', async () => {
    const keys = await campaign(10);
    await issue(keys, 0);
    const reply = await recordResult(redis, keys, 0, 'failed', Number.NaN, 1, { error: 'command-not-allowed: python is not allowed' });
    expect(reply.campaignStatus).toBe('paused');
    expect(await redis.hget(keys.state, 'pausedReason')).toBe(
      'circuit breaker: 1 trial failed in a row; the workers do not allow the command (command-not-allowed): restart them with --allow-command set to a prefix of it, then scheduler resume',
    );
  });

  it('a streak past the limit is counted by the script: 12 trials', async () => {
    const keys = await campaign(20);
    await redis.hset(keys.state, 'consecutiveFailures', 11);
    await issue(keys, 0);
    await recordResult(redis, keys, 0, 'failed', Number.NaN, 10, { error: 'timeout: 1s' });
    expect(await redis.hget(keys.state, 'pausedReason')).toMatch(/^circuit breaker: 12 trials failed in a row; read their logs/);
  });

  it('counts an attempt failure once per run, however often its result is delivered', async () => {
    const keys = await campaign(10);
    await issue(keys, 0);
    const failed = (runName: string) => recordResult(redis, keys, 0, 'attempt-failed', Number.NaN, 10, { runName, error: `exit-code: 1 (${runName})` });
    await start(0, '0-1', 'w1');
    expect((await failed('0-1')).code).toBe('attempt-noted');
    await start(0, '0-2', 'w2');
    // The first run's result delivered again (its recorder died before acknowledging it).
    expect((await failed('0-1')).code).toBe('attempt-noted');
    expect(await redis.hmget(keys.trial(0), 'failedAttempts', 'runName', 'worker')).toEqual(['1', '0-2', 'w2']);
    await failed('0-2');
    await failed('0-2');
    expect(await redis.hmget(keys.trial(0), 'failedAttempts', 'failedRuns', 'error')).toEqual(['2', '["0-1","0-2"]', 'exit-code: 1 (0-2)']);
  });

  it('a success resets the failure streak', async () => {
    const keys = await campaign(10);
    for (let i = 0; i < 3; i++) await issue(keys, i);
    await recordResult(redis, keys, 0, 'failed', Number.NaN, 2, {});
    await recordResult(redis, keys, 1, 'succeeded', 0.3, 2, {});
    const third = await recordResult(redis, keys, 2, 'failed', Number.NaN, 2, {});
    expect(third.campaignStatus).toBe('running');
  });
});

describe('extend-budget-1.lua and set-status-1.lua', () => {
  it('adds generations and reopens a finished campaign; refuses a cancelled one', async () => {
    const keys = await campaign(1);
    await issue(keys, 0);
    await recordResult(redis, keys, 0, 'succeeded', 0.5, 10, {});
    expect(await extendBudget(redis, keys, 4)).toEqual({ ok: true, budget: 5, status: 'running' });
    expect((await setCampaignStatus(redis, prefix, 'exp', 'cancel')).ok).toBe(true);
    expect(await extendBudget(redis, keys, 1)).toEqual({ ok: false, reason: 'cancelled' });
    expect((await setCampaignStatus(redis, prefix, 'exp', 'resume')).ok).toBe(false);
  });
});
