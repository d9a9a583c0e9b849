import { afterEach, describe, expect, it } from 'vitest';
import { HypSchema, trialJobId } from '@hyperevolve/contract';
import { CampaignStore } from '../apps/scheduler/src/campaign/campaign-store.js';
import { addTrialJob, openQueues, type Queues } from '../apps/scheduler/src/campaign/queues.js';
import { useClusters } from './support/cluster-fixture.js';
import { waitFor } from './support/wait-for.js';

const { redis, cluster } = useClusters();
let queues: Queues | null = null;

afterEach(async () => {
  await queues?.close();
  queues = null;
});

describe('a paused campaign and its queued trials (real scheduler serve and worker)', () => {
  it('a trial job that reaches a worker while its campaign is paused is taken off the queue, not handed back for ever; resume runs it', async () => {
    const c = await cluster('pause');
    const q = openQueues(redis, c.prefix);
    queues = q;
    c.serve(['--reconcile-ms', '300']);
    await c.enqueue(['--name', 'p', '--generations', '2', '--seed', '4']);
    const keys = new CampaignStore(redis, c.prefix).keys('p');
    const index = await waitFor(async () => (await redis.smembers(keys.inflight)).map(Number)[0], { what: 'a trial issued' });
    const paused = await c.cli(['pause', '--name', 'p']);
    expect(paused.code, paused.stderr).toBe(0);

    // The race `pause` cannot close: a worker takes a job just as the campaign pauses, sees the
    // pause and hands the job back (delayed, to look again later). Here the job is put back on
    // the queue by hand, with a worker waiting for it.
    const worker = c.worker();
    await worker.waitForOutput(/waiting for trials/, 60_000);
    const config = (await new CampaignStore(redis, c.prefix).readConfig('p'))!;
    const hyp = HypSchema.parse(JSON.parse((await redis.hget(keys.trial(index), 'hyp'))!));
    await addTrialJob(q, config, { index, hyp });
    const jobId = trialJobId('p', index);
    await waitFor(async () => (await q.trials.getJobState(jobId)) === 'unknown', { timeoutMs: 30_000, what: `serve to take job ${jobId} of the paused campaign off the queue` });
    // Off for good: nothing brings it back while the campaign stays paused.
    await new Promise((resolve) => setTimeout(resolve, 3000));
    expect(await q.trials.getJobState(jobId)).toBe('unknown');
    expect(await redis.hget(keys.state, 'recorded')).toBe('0');

    const again = await c.cli(['pause', '--name', 'p']);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toContain('campaign p is already paused; nothing to do');

    const resumed = await c.cli(['resume', '--name', 'p']);
    expect(resumed.code, resumed.stderr).toBe(0);
    await waitFor(async () => (await redis.hget(keys.state, 'status')) === 'done', { timeoutMs: 120_000, what: 'campaign p to finish after resume' });
    expect(await redis.hget(keys.state, 'recorded')).toBe('2');
    expect(await redis.hget(keys.trial(index), 'status')).toBe('succeeded');

    const cancel = await c.cli(['cancel', '--name', 'p']);
    expect(cancel.code).toBe(2);
    expect(cancel.stderr).toContain('scheduler: campaign p is done; it cannot be cancelled from there');
  });
});
