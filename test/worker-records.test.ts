import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { QueueEvents } from 'bullmq';
import { Redis } from 'ioredis';
import { pino } from 'pino';
import { describe, expect, inject, it } from 'vitest';
import { campaignKeys, RESULTS_QUEUE, TRIALS_QUEUE, TrialJobReturnSchema, type TrialJobReturn } from '@hyperevolve/contract';
import { COMPLETIONS_GROUP, Completions } from '../apps/scheduler/src/serve/completions.js';
import type { RecordedEvent } from '../apps/scheduler/src/serve/recorded-event.js';
import { useClusters } from './support/cluster-fixture.js';
import { WorkerHarness } from './support/worker-harness.js';
import { waitFor } from './support/wait-for.js';

const { redis, cluster } = useClusters();

/** The events BullMQ wrote to a queue's events stream, oldest first, as field maps. */
async function queueEvents(prefix: string, queue: string): Promise<Record<string, string>[]> {
  const entries = await redis.xrange(`${prefix}:${queue}:events`, '-', '+');
  return entries.map(([, fields]) => Object.fromEntries(Array.from({ length: fields.length / 2 }, (_, i) => [fields[2 * i] ?? '', fields[2 * i + 1] ?? ''])));
}

/** The scheduler's JSON log lines with this message. */
function logLines(output: string, msg: string): Record<string, unknown>[] {
  return output.split('\n').flatMap((line) => {
    try {
      const entry = JSON.parse(line) as Record<string, unknown>;
      return entry.msg === msg ? [entry] : [];
    } catch {
      return [];
    }
  });
}

describe('a worker records its succeeded runs itself (issue 24: the results queue off the path of a trial that succeeds)', () => {
  it('succeeded runs: recorded by the worker, told by the completed event to one of two replicas (log, evolve.csv), nothing on the results queue; a failed run still goes through it', { timeout: 180_000 }, async () => {
    const c = await cluster('worker-records');
    // Two replicas: each completion is told to one of them.
    const serves = [c.serve(), c.serve()];
    c.worker();
    await c.enqueue(['--name', 'ok', '--generations', '6', '--seed', '5']);
    await waitFor(async () => (await redis.hget(campaignKeys(c.prefix, 'ok').state, 'status')) === 'done', { timeoutMs: 120_000, what: 'campaign ok to finish' });

    // Not one result was posted: the results queue's events stream has no `added`.
    expect((await queueEvents(c.prefix, RESULTS_QUEUE)).filter((event) => event.event === 'added')).toEqual([]);
    // Each trial job's completed event carries what its worker recorded.
    const completed = (await queueEvents(c.prefix, TRIALS_QUEUE))
      .filter((event) => event.event === 'completed' && event.jobId?.startsWith('ok#'))
      .map((event) => TrialJobReturnSchema.parse(JSON.parse(event.returnvalue ?? 'null')));
    const recorded = completed.flatMap((done) => (done.ran && done.recorded !== undefined ? [done.recorded] : []));
    expect(recorded.map((r) => r.index).sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(recorded.every((r) => r.outcome === 'succeeded' && r.reply.code === 'recorded')).toBe(true);
    expect(Math.max(...recorded.map((r) => r.reply.recorded))).toBe(6);
    expect(recorded.find((r) => r.reply.campaignStatus === 'done')).toBeDefined();
    for (const r of recorded) expect(Number(await redis.hget(campaignKeys(c.prefix, 'ok').trial(r.index), 'fitness'))).toBe(r.fitness);

    // The schedulers heard of every one, once: their logs name each trial once, and their exporter wrote the rows.
    const told = (): number[] => serves.flatMap((serve) => logLines(serve.output(), 'trial succeeded')).filter((line) => line.campaign === 'ok').map((line) => Number(line.index));
    await waitFor(() => (told().length >= 6 ? true : undefined), { timeoutMs: 10_000, what: 'six "trial succeeded" lines in the scheduler logs' });
    expect(told().sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5]);
    const csv = await waitFor(async () => {
      const text = await readFile(join(c.outDir, 'ok', 'evolve.csv'), 'utf8').catch(() => '');
      return text.trimEnd().split('\n').length === 7 ? text : undefined;
    }, { timeoutMs: 20_000, what: 'evolve.csv with 6 rows' });
    expect(csv.trimEnd().split('\n')).toHaveLength(7);

    // A failure goes to the results queue as before, where the recorder keeps its bookkeeping.
    await c.enqueue(['--name', 'bad', '--generations', '1', '--attempts', '1'], ['--epochs', '1', '--duration-ms', '20', '--fail', 'exit:3']);
    await waitFor(async () => (await redis.hget(campaignKeys(c.prefix, 'bad').trial(0), 'status')) === 'failed' ? true : undefined, { timeoutMs: 60_000, what: 'trial bad/0 to be recorded as failed' });
    expect((await queueEvents(c.prefix, RESULTS_QUEUE)).filter((event) => event.event === 'added').map((event) => event.jobId)).toEqual([expect.stringMatching(/^bad#0#/)]);
  });
});

describe('a trial job whose trial is recorded already (its worker died between recording and completing the job)', () => {
  it('is completed without a run, and its return value names the campaign (also when the campaign ended with that trial)', { timeout: 60_000 }, async () => {
    const h = await WorkerHarness.create(inject('redisUrl'), 'recorded-already');
    const events = new QueueEvents(TRIALS_QUEUE, { connection: { url: inject('redisUrl') }, prefix: h.prefix });
    try {
      await events.waitUntilReady();
      const returned: TrialJobReturn[] = [];
      events.on('completed', ({ returnvalue }) => returned.push(TrialJobReturnSchema.parse(returnvalue)));
      await h.setCampaignStatus('done-before', 'running');
      await h.addTrial({ campaign: 'done-before', index: 0, command: [process.execPath, '-e', 'process.exit(0)'], workerRecords: true, fitnessWeights: [0, 0, 0.1, 0.9] });
      await h.redis.hset(campaignKeys(h.prefix, 'done-before').trial(0), 'status', 'succeeded');
      h.startWorker();
      await waitFor(() => (returned.length === 1 ? true : undefined), { timeoutMs: 30_000, what: 'the job of the recorded trial to complete' });
      expect(returned[0]).toEqual({ ran: false, campaign: 'done-before', reason: expect.stringContaining('succeeded') as string });
      expect(await h.trialHash('done-before', 0)).toMatchObject({ status: 'succeeded' });
      // The trial that ended the campaign: its job finds the campaign done.
      await h.redis.hset(campaignKeys(h.prefix, 'done-before').state, 'status', 'done');
      await h.addTrial({ campaign: 'done-before', index: 1, command: [process.execPath, '-e', 'process.exit(0)'], workerRecords: true, fitnessWeights: [0, 0, 0.1, 0.9] });
      await waitFor(() => (returned.length === 2 ? true : undefined), { timeoutMs: 30_000, what: 'the job of the trial that ended the campaign to complete' });
      expect(returned[1]).toEqual({ ran: false, campaign: 'done-before', reason: expect.stringContaining('done') as string });
      expect(await h.postedResults()).toEqual([]);
    } finally {
      await events.close();
      await h.cleanup();
    }
  });
});

describe('the scheduler\'s completions reader (trials queue events are untrusted input)', () => {
  it('tells a skipped trial\'s campaign and a worker\'s record, reads on past a return value that is not JSON or not one it knows, and after a restart reads what completed meanwhile, once', { timeout: 30_000 }, async () => {
    const prefix = `completions-${Date.now()}`;
    const connection = new Redis(inject('redisUrl'), { maxRetriesPerRequest: null });
    const skipped: string[] = [];
    const recorded: RecordedEvent[] = [];
    const reader = (consumer: string): Completions => new Completions({ redis: connection, prefix, consumer, log: pino({ level: 'silent' }), hooks: { onSkipped: (name) => skipped.push(name), onRecorded: (event) => recorded.push(event) } });
    const stream = `${prefix}:${TRIALS_QUEUE}:events`;
    const completed = (jobId: string, returnvalue: string): Promise<unknown> => connection.xadd(stream, '*', 'event', 'completed', 'jobId', jobId, 'returnvalue', returnvalue);
    const record = (index: number) => ({ campaign: 'a', index, outcome: 'succeeded', fitness: 0.5, workerId: 'w', startedAt: 1, finishedAt: 2, pruned: null, reply: { code: 'recorded', recorded: index + 1, bestChanged: true, campaignStatus: 'running' } });
    let first: Completions | null = reader('s1');
    let second: Completions | null = null;
    try {
      await first.start();
      await completed('a#0', 'not json {');
      await completed('a#1', JSON.stringify({ ran: true, runName: 'x', recorded: { campaign: 'b', index: 'one' } }));
      await completed('a#2', JSON.stringify({ ran: false, campaign: 'a', reason: 'the trial is already succeeded' }));
      await connection.xadd(stream, '*', 'event', 'active', 'jobId', 'a#3', 'prev', 'waiting');
      await completed('a#3', JSON.stringify({ ran: true, runName: '3-1', recorded: record(3) }));
      await waitFor(() => (recorded.length === 1 ? true : undefined), { timeoutMs: 10_000, what: 'the record to be told' });
      // The unknown return value still names a campaign: its files are written again.
      expect(skipped).toEqual(['b', 'a']);
      expect(recorded).toEqual([{ campaign: 'a', index: 3, outcome: 'succeeded', fitness: 0.5, reply: record(3).reply, workerId: 'w', startedAt: 1, finishedAt: 2, pruned: null }]);

      // A run recorded while no scheduler reads is told to the next one, and only it.
      await first.close();
      first = null;
      await completed('a#4', JSON.stringify({ ran: true, runName: '4-1', recorded: record(4) }));
      second = reader('s2');
      await second.start();
      await waitFor(() => (recorded.length === 2 ? true : undefined), { timeoutMs: 10_000, what: 'the record made while no scheduler read to be told' });
      expect(recorded.map((event) => event.index)).toEqual([3, 4]);
      // A reader that stopped leaves the group: restarts do not pile up consumers.
      expect((await connection.xinfo('CONSUMERS', stream, COMPLETIONS_GROUP) as unknown[]).length).toBe(1);
    } finally {
      await first?.close();
      await second?.close();
      await connection.del(stream);
      connection.disconnect();
    }
  });
});
