import { Redis } from 'ioredis';
import { afterAll, afterEach, describe, expect, inject, it } from 'vitest';
import { CorruptStateError, TRAINER_LIMITS, campaignKeys } from '@hyperevolve/contract';
import { rungLogLength } from '@hyperevolve/ga-core';
import { TrialStore } from '@hyperevolve/trial-store';
import { deletePrefix, uniquePrefix } from './support/redis-prefix.js';
import { sampleRun } from './support/sample-run.js';

const redis = new Redis(inject('redisUrl'));
const prefixes: string[] = [];
afterEach(async () => {
  for (const prefix of prefixes.splice(0)) await deletePrefix(redis, prefix);
});
afterAll(async () => {
  await redis.quit();
});

function store(): { trials: TrialStore; keys: ReturnType<typeof campaignKeys> } {
  const prefix = uniquePrefix('trial-store');
  prefixes.push(prefix);
  return { trials: new TrialStore(redis, prefix), keys: campaignKeys(prefix, 'exp') };
}

async function errorOf(promise: Promise<unknown>): Promise<CorruptStateError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof CorruptStateError) return error;
    throw error;
  }
  throw new Error('expected a CorruptStateError');
}

describe('the trial store', () => {
  it('reports a broken hyp with its key and the fix, in every view that needs hyps (never an empty hyp)', async () => {
    const { trials, keys } = store();
    await redis.hset(keys.trial(0), { status: 'succeeded', hyp: '{"lr0": 0.01', fitness: '0.5', finishedAt: '1' });
    await redis.hset(keys.trial(1), { status: 'succeeded', fitness: '0.5', finishedAt: '1' });
    for (const read of [() => trials.readHyps('exp', [0]), () => trials.readPoints('exp', [0]), () => trials.readEvolveRows('exp', [0]), () => trials.readTrial('exp', 0)]) {
      const error = await errorOf(read());
      expect(error.key).toBe(keys.trial(0));
      expect(error.message).toMatch(/^\S+:trial:0 in Redis is not valid: hyp: not JSON .*Fix or delete that key \(redis-cli DEL \S+:trial:0\), or cancel the campaign\.$/);
    }
    expect((await errorOf(trials.readHyps('exp', [1]))).message).toMatch(/trial:1 in Redis is not valid: the trial has no hyp field/);
    expect((await errorOf(trials.readPoints('exp', [1]))).message).toMatch(/a recorded trial has no hyp/);
  });

  it('reads a record an older release wrote, its metrics array as named metrics', async () => {
    const { trials, keys } = store();
    await redis.hset(keys.trial(4), { status: 'succeeded', hyp: '{"lr0":0.01}', metrics: '[0.5,0.4,0.3,0.2,0.01,null,null]', fitness: '0.21', runStartedAt: '5', runEndedAt: '9' });
    const record = await trials.readTrial('exp', 4);
    expect(record?.metrics).toEqual({ 'metrics/precision': 0.5, 'metrics/recall': 0.4, 'metrics/mAP_0.5': 0.3, 'metrics/mAP_0.5:0.95': 0.2, 'val/box_loss': 0.01, 'val/obj_loss': null, 'val/cls_loss': null });
    expect(record).toMatchObject({ status: 'succeeded', fitness: 0.21, runStartedAt: 5, runEndedAt: 9 });
    expect(await trials.readTrial('exp', 5)).toBeNull();
  });

  it('writes the run fields once: the start writes them, a recorded result of that run does not again', async () => {
    const { trials, keys } = store();
    const [issued] = await trials.issue('exp', [{ index: 0, fingerprint: 'fp', hyp: { lr0: 0.01 }, origin: 'base', parents: [], pool: [], poolSize: 0, draws: 1, createdAt: 1 }]);
    expect(issued).toEqual({ ok: false, reason: 'not-running' }); // no campaign state yet
    await redis.hset(keys.state, { status: 'running', budget: 1, nextIndex: 0, recorded: 0 });
    expect(await trials.issue('exp', [{ index: 0, fingerprint: 'fp', hyp: { lr0: 0.01 }, origin: 'base', parents: [], pool: [], poolSize: 0, draws: 1, createdAt: 1 }])).toEqual([{ ok: true, index: 0 }]);
    const run = sampleRun({ attempt: 1, runName: '0-1', worker: { id: 'h:1:0', host: 'h', device: '0' }, device: '0', startedAt: 10, trialDir: '/t/0-1', logPath: '/t/0-1/train.log', command: ['python'] });
    await trials.start('exp', 0, run);
    // Marks the run fields the start wrote: a record that wrote them again would overwrite the marks.
    // (Not MONITOR: on the Redis the other test files share it sees their scripts too.)
    const marks = { trialDir: 'mark:trialDir', logPath: 'mark:logPath', host: 'mark:host', command: 'mark:command' };
    await redis.hset(keys.trial(0), marks);
    const reply = await trials.record('exp', 0, { outcome: 'succeeded', fitness: 0.5, maxConsecutiveFailures: 3, runName: '0-1', unstartedRun: null, startedAt: 10, endedAt: 20, metrics: { 'metrics/mAP_0.5': 0.5 }, failure: null });
    expect(reply.code).toBe('recorded');
    expect(await redis.hmget(keys.trial(0), ...Object.keys(marks))).toEqual(Object.values(marks));
    await redis.hset(keys.trial(0), { trialDir: '/t/0-1', logPath: '/t/0-1/train.log', host: 'h', command: '["python"]' });
    expect(await trials.readTrial('exp', 0)).toMatchObject({ status: 'succeeded', runName: '0-1', trialDir: '/t/0-1', startedAt: 10, runEndedAt: 20, durationMs: 10, fitness: 0.5, metrics: { 'metrics/mAP_0.5': 0.5 } });
  });

  it('writes a refused run\'s fields with its result, since no start wrote them', async () => {
    const { trials, keys } = store();
    await redis.hset(keys.state, { status: 'running', budget: 1, nextIndex: 0, recorded: 0 });
    await trials.issue('exp', [{ index: 0, fingerprint: 'fp', hyp: { lr0: 0.01 }, origin: 'base', parents: [], pool: [], poolSize: 0, draws: 1, createdAt: 1 }]);
    const unstartedRun = { attempt: 1, runName: '0-1', worker: { id: 'h:1:0', host: 'h', device: '0' }, device: '0', startedAt: 10, trialDir: '', logPath: '', command: ['rm', '-rf'] };
    await trials.record('exp', 0, { outcome: 'failed', fitness: Number.NaN, maxConsecutiveFailures: 3, runName: '0-1', unstartedRun, startedAt: 10, endedAt: 10, metrics: null, failure: { kind: 'command-not-allowed', message: 'no' } });
    // objectContaining: a field later added to the failure view (contract's FAILURE_VIEW) is read too.
    expect(await trials.readFailures('exp', [0])).toEqual([expect.objectContaining({ index: 0, error: 'command-not-allowed: no', errorKind: 'command-not-allowed', logPath: '', command: ['rm', '-rf'], host: 'h', worker: 'h:1:0', finishedAt: expect.any(Number) })]);
  });

  it("records each epoch of the run that holds the trial, forward only, and a new run starts with none", async () => {
    const { trials, keys } = store();
    await redis.hset(keys.state, { status: 'running', budget: 1, nextIndex: 0, recorded: 0 });
    await trials.issue('exp', [{ index: 0, fingerprint: 'fp', hyp: { lr0: 0.01 }, origin: 'base', parents: [], pool: [], poolSize: 0, draws: 1, createdAt: 1 }]);
    const run = sampleRun({ attempt: 1, runName: '0-1', worker: { id: 'h:1:0', host: 'h', device: '0' }, device: '0', startedAt: 10, trialDir: '/t/0-1', logPath: '/t/0-1/train.log', command: ['python'] });
    const epoch = (n: number, runName = '0-1') => ({ run: runName, epoch: n, epochs: 3, metrics: { 'metrics/mAP_0.5': 0.1 * n, 'val/box_loss': null }, at: 100 + n });
    expect(await trials.recordEpoch('exp', 0, epoch(1))).toEqual({ recorded: false, reason: 'the trial is queued, not running' });
    await trials.start('exp', 0, run);
    expect(await trials.recordEpoch('exp', 0, epoch(1))).toEqual({ recorded: true });
    expect(await trials.recordEpoch('exp', 0, { run: '0-1', epoch: 2, fitness: 0.25, at: 102 })).toEqual({ recorded: true });
    expect(await trials.recordEpoch('exp', 0, epoch(2))).toEqual({ recorded: false, reason: 'epoch 2 is not after epoch 2, recorded already' });
    expect(await trials.recordEpoch('exp', 0, epoch(3, '0-0'))).toEqual({ recorded: false, reason: 'another run (0-1) holds the trial' });
    const record = await trials.readTrial('exp', 0);
    expect(record).toMatchObject({ epoch: 2, epochFitness: 0.25, epochAt: 102 });
    expect(record?.epochMetrics).toBeUndefined(); // the latest epoch's fields only
    expect(await trials.readCurve('exp', 0)).toEqual([epoch(1), { run: '0-1', epoch: 2, fitness: 0.25, at: 102 }]);

    await trials.start('exp', 0, { ...run, attempt: 2, runName: '0-2' });
    expect(await trials.readTrial('exp', 0)).not.toHaveProperty('epoch');
    expect(await trials.recordEpoch('exp', 0, epoch(1, '0-2'))).toEqual({ recorded: true });
    expect((await trials.readCurve('exp', 0)).map((entry) => `${entry.run}@${entry.epoch}`)).toEqual(['0-1@1', '0-1@2', '0-2@1']);
    expect(await trials.recordEpoch('exp', 7, epoch(1))).toEqual({ recorded: false, reason: 'the trial hash does not exist' });
    expect(await redis.hget(keys.state, 'epochs')).toBe('3'); // /metrics' hyperevolve_epochs_recorded: only the epochs recorded
  });

  it("notes a run's warnings on its trial, bounded in number and length, only while that run holds it, kept over re-runs", async () => {
    const { trials, keys } = store();
    await redis.hset(keys.state, { status: 'running', budget: 1, nextIndex: 3, recorded: 0 });
    await trials.issue('exp', [{ index: 3, fingerprint: 'fp', hyp: { lr0: 0.01 }, origin: 'base', parents: [], pool: [], poolSize: 0, draws: 1, createdAt: 1 }]);
    const run = sampleRun({ attempt: 1, runName: '3-1', worker: { id: 'h:1:0', host: 'h', device: '0' }, device: '0', startedAt: 10, trialDir: '/t/3-1', logPath: '/t/3-1/train.log', command: ['python'] });
    expect(await trials.warnRun('exp', 3, '3-1', 'early')).toEqual({ noted: false, reason: 'the trial is queued, not running' });
    await trials.start('exp', 3, run);
    expect(await trials.warnRun('exp', 3, '3-1', 'a line longer than 8192 bytes was skipped')).toEqual({ noted: true });
    expect(await trials.warnRun('exp', 3, '3-0', 'stale run')).toEqual({ noted: false, reason: 'another run (3-1) holds the trial' });
    // A warning naming a long path is cut to its bound.
    expect(await trials.warnRun('exp', 3, '3-1', `/${'x'.repeat(10_000)} is a FIFO`)).toEqual({ noted: true });
    await trials.start('exp', 3, { ...run, attempt: 2, runName: '3-2' });
    for (let i = 0; i < TRAINER_LIMITS.warningsPerTrial; i += 1) await trials.warnRun('exp', 3, '3-2', `kind ${i}`);
    const warnings = (await trials.readTrial('exp', 3))?.warnings ?? [];
    expect(warnings).toHaveLength(TRAINER_LIMITS.warningsPerTrial);
    expect(warnings[0]).toBe('3-1: a line longer than 8192 bytes was skipped');
    expect(warnings[1]).toHaveLength(TRAINER_LIMITS.warningChars);
    expect(warnings[1]).toMatch(/^3-1: \/x+…$/);
    expect(warnings.slice(2)).toEqual(Array.from({ length: TRAINER_LIMITS.warningsPerTrial - 2 }, (_, i) => `3-2: kind ${i}`));
    expect(await trials.warnRun('exp', 3, '3-2', 'one too many')).toEqual({ noted: false, reason: `the trial holds ${TRAINER_LIMITS.warningsPerTrial} warnings already, its most` });
    expect(await trials.readWarnings('exp', 5)).toEqual({ trials: 1, recent: [{ index: 3, warnings }] });
    expect(await trials.warnRun('exp', 9, '9-1', 'x')).toEqual({ noted: false, reason: 'the trial hash does not exist' });
  });

  it("keeps a windowed rung's entries in arrival order, capped to the window's log length; a rung without a window on its set only", async () => {
    const { trials, keys } = store();
    await redis.hset(keys.state, { status: 'running', budget: 300, nextIndex: 0, recorded: 0 });
    const count = rungLogLength(5) + 3;
    // Trials reach rung 1 in an order unlike their indices and their fitness.
    const order = Array.from({ length: count }, (_, i) => (i * 7) % count);
    const item = (index: number) => ({ index, fingerprint: `fp${index}`, hyp: { lr0: index }, origin: 'base' as const, parents: [], pool: [], poolSize: 0, draws: 1, createdAt: 1 });
    await trials.issue('exp', Array.from({ length: count + 1 }, (_, index) => item(index)));
    for (const index of order) {
      await trials.start('exp', index, sampleRun({ attempt: 1, runName: `${index}-1`, worker: { id: 'h:1:0', host: 'h', device: '0' }, device: '0', startedAt: 10, trialDir: `/t/${index}-1`, logPath: `/t/${index}-1/train.log`, command: ['python'] }));
      expect(await trials.recordEpoch('exp', index, { run: `${index}-1`, epoch: 1, fitness: 1 - index / count, at: 1 }, { fitness: 1 - index / count, window: 5 })).toEqual({ recorded: true });
    }
    const arrivals = await trials.readRungArrivals('exp', 1, 5);
    expect(arrivals.map((entry) => entry.index)).toEqual(order.slice(-rungLogLength(5)));
    expect(arrivals.at(-1)).toEqual({ index: order.at(-1), fitness: 1 - (order.at(-1) ?? 0) / count });
    // The set keeps every trial that reached the rung: what a windowless rung reads.
    expect((await trials.readRungArrivals('exp', 1, null)).length).toBe(count);

    // Without a window, record-epoch writes no log.
    await trials.start('exp', count, sampleRun({ attempt: 1, runName: `${count}-1`, worker: { id: 'h:1:0', host: 'h', device: '0' }, device: '0', startedAt: 10, trialDir: '/t/x', logPath: '/t/x/train.log', command: ['python'] }));
    await trials.recordEpoch('exp', count, { run: `${count}-1`, epoch: 2, fitness: 0.5, at: 1 }, { fitness: 0.5, window: null });
    expect(await redis.exists(keys.rungLog(2))).toBe(0);
    expect(await trials.readRungArrivals('exp', 2, null)).toEqual([{ index: count, fitness: 0.5 }]);
    // An entry that does not read as index:fitness is skipped.
    await redis.rpush(keys.rungLog(1), 'garbage', '12:', ':0.5');
    expect((await trials.readRungArrivals('exp', 1, 5)).length).toBe(rungLogLength(5));
  });
});
