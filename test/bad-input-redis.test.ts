import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { campaignKeys, RESULTS_QUEUE, TRIALS_QUEUE } from '@hyperevolve/contract';
import { parseEvolveCsv, YOLOV5_METRIC_NAMES } from '@hyperevolve/ga-core';
import { readCampaign } from './support/campaign-data.js';
import { Cluster } from './support/cluster.js';
import { snapshotPrefix, statusJson, waitForStatus } from './support/faults.js';
import { FIXTURES } from './support/processes.js';
import { deletePrefix, uniquePrefix } from './support/redis-prefix.js';
import { waitFor } from './support/wait-for.js';

/**
 * Guarantee 5, the Redis half: garbage written straight into the queues and campaign keys
 * while a scheduler and a worker run. Each piece is reported with a message naming the key
 * and the fix; neither process crashes; a good campaign beside it finishes exactly; the
 * broken campaigns are left as they were (nothing half-written over them).
 */

const FAULT_ENV = { HYPEREVOLVE_LOCK_MS: '2000', HYPEREVOLVE_STALLED_MS: '1000' };

const redisUrl = inject('redisUrl');
let redis: Redis;
let cluster: Cluster | null = null;

beforeAll(() => {
  redis = new Redis(redisUrl);
});
afterAll(async () => {
  await redis.quit();
});
afterEach(async () => {
  await cluster?.stop();
  if (cluster !== null) await deletePrefix(redis, cluster.prefix);
  cluster = null;
});

/** Every key of one campaign (its hash tag), serialized. */
async function campaignSnapshot(prefix: string, name: string): Promise<Map<string, string>> {
  return snapshotPrefix(redis, `${prefix}:c:{${name}}`);
}

describe('garbage written straight into Redis while a scheduler and a worker run', () => {
  it('bad jobs, bad results, a corrupt campaign config and a broken trial hyp: each reported, nothing crashes, a good campaign finishes', { timeout: 420_000 }, async () => {
    const c = (cluster = await Cluster.create({ redisUrl, prefix: uniquePrefix('garbage'), env: FAULT_ENV }));

    // Campaigns broken before the scheduler starts: it must come up anyway (a restart after
    // someone damaged a key must not take down every other campaign).
    for (const name of ['bad-json', 'bad-shape']) await c.enqueue(['--name', name, '--generations', '3']);
    await redis.set(campaignKeys(c.prefix, 'bad-json').config, '{"version":1,"name":');
    await redis.set(campaignKeys(c.prefix, 'bad-shape').config, JSON.stringify({ version: 1, name: 'bad-shape', command: 'python train.py' }));
    await c.enqueue(['--name', 'bad-hyp', '--generations', '3', '--seed-from', join(FIXTURES, 'evolve.csv')]);
    const bestImported = Number(await redis.hget(campaignKeys(c.prefix, 'bad-hyp').state, 'bestTrial'));
    await redis.hset(campaignKeys(c.prefix, 'bad-hyp').trial(bestImported), 'hyp', '{"lr0": "0.01; rm -rf /"}');
    const broken = new Map<string, Map<string, string>>();
    for (const name of ['bad-json', 'bad-shape', 'bad-hyp']) broken.set(name, await campaignSnapshot(c.prefix, name));

    const serve = c.serve();
    const worker = c.worker();
    await c.enqueue(['--name', 'good', '--generations', '8', '--seed', '2'], ['--epochs', '2', '--duration-ms', '150']);
    const good = campaignKeys(c.prefix, 'good');
    await waitFor(async () => Number(await redis.hget(good.state, 'recorded')) >= 1, { timeoutMs: 90_000, what: 'the good campaign to record a trial' });

    // Garbage in the queues, while trials of the good campaign flow.
    const trials = new Queue(TRIALS_QUEUE, { connection: redis, prefix: c.prefix });
    const results = new Queue(RESULTS_QUEUE, { connection: redis, prefix: c.prefix });
    try {
      await trials.add('trial', { v: 1, campaign: 'good', index: 999, hyp: { lr0: 'high' }, command: 'rm -rf /' }, { jobId: 'garbage-shape' });
      await trials.add('trial', 'just a string', { jobId: 'garbage-string' });
      const rawTrial = `${c.prefix}:${TRIALS_QUEUE}:garbage-raw`;
      await redis.hset(rawTrial, { name: 'trial', data: '{not json', opts: '{"attempts":1}', timestamp: Date.now(), delay: 0, priority: 0 });
      await redis.lpush(`${c.prefix}:${TRIALS_QUEUE}:wait`, 'garbage-raw');
      await results.add('result', { hello: 'world' }, { jobId: 'garbage-result' });
      await results.add('result', { v: 1, campaign: 'good', index: 0, outcome: 'succeeded', metrics: 'excellent' }, { jobId: 'garbage-result-good' });
      const rawResult = `${c.prefix}:${RESULTS_QUEUE}:garbage-raw-result`;
      await redis.hset(rawResult, { name: 'result', data: 'NaN{', opts: '{}', timestamp: Date.now(), delay: 0, priority: 0 });
      await redis.lpush(`${c.prefix}:${RESULTS_QUEUE}:wait`, 'garbage-raw-result');
      await trials.add('trial', { v: 1, campaign: 'good', index: 1000, hyp: { lr0: 0.01 }, command: ['python'], adapter: 'yolov5', timeoutMs: null, fastTrials: true }, { jobId: 'nudge' });

      await waitForStatus(redis, c.prefix, 'good', 'done', 300_000);
      // The garbage is dealt with, not left to go round: failed jobs, results consumed.
      await waitFor(async () => (await redis.hget(rawTrial, 'failedReason'))?.startsWith('bad-payload') === true, { timeoutMs: 120_000, what: 'the raw trial job to fail as bad-payload' });
      await waitFor(async () => (await results.getJobCounts('waiting', 'active', 'delayed')).waiting === 0, { timeoutMs: 120_000, what: 'the results queue to drain' });
      await waitFor(async () => (await redis.hget(rawResult, 'finishedOn')) !== null, { timeoutMs: 120_000, what: 'the raw result to be consumed' });
    } finally {
      await trials.close();
      await results.close();
    }

    const data = await readCampaign(redis, c.prefix, 'good');
    expect(data.trials.filter((t) => t.status === 'succeeded')).toHaveLength(8);
    expect(data.rows).toHaveLength(8);
    expect(Number(data.state.failed)).toBe(0);
    const csv = await waitFor(async () => {
      const text = await readFile(join(c.outDir, 'good', 'evolve.csv'), 'utf8').catch(() => '');
      return text.trimEnd().split('\n').length === 9 ? text : undefined;
    }, { timeoutMs: 120_000, what: 'good/evolve.csv with 8 rows' });
    expect(parseEvolveCsv(csv, YOLOV5_METRIC_NAMES).rows).toHaveLength(8);

    expect(serve.child.exitCode, serve.output().slice(-3000)).toBeNull();
    expect(worker.child.exitCode, worker.output().slice(-3000)).toBeNull();
    const log = serve.output();
    expect(log).toContain(`${campaignKeys(c.prefix, 'bad-json').config} in Redis is not valid: it is not JSON. Fix or delete that key`);
    expect(log).toMatch(new RegExp(`${escape(campaignKeys(c.prefix, 'bad-shape').config)} in Redis is not valid: .*command`));
    expect(log).toMatch(new RegExp(`${escape(campaignKeys(c.prefix, 'bad-hyp').trial(bestImported))} in Redis is not valid: .*hyp`));
    for (const id of ['garbage-result', 'garbage-result-good', 'garbage-raw-result']) {
      expect(log).toMatch(new RegExp(`dropped a malformed result from the results queue \\(job ${id}: `));
    }
    // Reported, not repeated on every tick.
    expect(occurrences(log, `${campaignKeys(c.prefix, 'bad-json').config} in Redis is not valid`)).toBeLessThanOrEqual(3);
    expect(worker.output()).toMatch(/job garbage-shape is not a valid trial job \(data\.hyp\.lr0: .*\)/);

    // The broken campaigns were not written over.
    for (const [name, before] of broken) expect(await campaignSnapshot(c.prefix, name), name).toEqual(before);

    // status still works: the good campaign, and each broken one with what is wrong and the fix.
    const view = await statusJson(c);
    expect(view.campaigns.find((v) => v.name === 'good')).toMatchObject({ status: 'done', recorded: 8 });
    const status = await c.cli(['status']);
    expect(status.code, status.stderr).toBe(0);
    expect(status.stdout).toMatch(/bad-json: .*config in Redis is not valid: it is not JSON\. Fix or delete that key/);
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function occurrences(text: string, needle: string): number {
  return text.split(needle).length - 1;
}
