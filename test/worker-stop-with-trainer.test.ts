import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { campaignKeys } from '@hyperevolve/contract';
import { readCampaign } from './support/campaign-data.js';
import { useClusters } from './support/cluster-fixture.js';
import { waitForStatus } from './support/faults.js';
import { hangOnceScript } from './support/hang-once-trainer.js';
import { waitFor } from './support/wait-for.js';

const { redis, cluster } = useClusters({ HYPEREVOLVE_LOCK_MS: '2000', HYPEREVOLVE_STALLED_MS: '1000' });

describe('a stop signal to the whole job', () => {
  it('SIGTERM to the worker and its trainer at once (Slurm scancel, time limit, preemption), within --grace: the trial is handed back uncounted, not failed', { timeout: 240_000 }, async () => {
    const c = await cluster('stop-with-trainer');
    const marker = join(c.dir, 'hung.pid');
    const trainer = await hangOnceScript(c.dir);
    c.serve(['--lookahead', '0']);
    // A long grace: the worker would let the trial run on, but the trainer dies of the job's SIGTERM now.
    const first = c.worker(['--device', 'cpu', '--grace', '10m']);
    const enqueued = await c.cli(['enqueue', '--name', 'j', '--generations', '2', '--attempts', '3', '--adapter', 'generic', '--out', c.outDir, '--', process.execPath, trainer, marker]);
    expect(enqueued.code, enqueued.stderr).toBe(0);
    const trainerPid = await waitFor(async () => Number((await readFile(marker, 'utf8').catch(() => '')).split(' ')[0]) || undefined, { timeoutMs: 120_000, what: 'the first trainer to hang' });

    // As slurmstepd does: the signal to every process of the job, the worker first (lower pid).
    first.child.kill('SIGTERM');
    process.kill(-trainerPid, 'SIGTERM');
    expect(await first.exited).toEqual({ code: 0, signal: null });
    expect(first.output()).toMatch(/handing it back to the queue without counting an attempt/);
    const keys = campaignKeys(c.prefix, 'j');
    const handedBack = await redis.hgetall(keys.trial(0));
    expect(handedBack.failedAttempts).toBeUndefined();
    expect(handedBack.error).toBeUndefined();
    expect(await redis.hget(keys.state, 'failed')).toBe('0');

    c.worker(['--device', 'cpu']);
    await waitForStatus(redis, c.prefix, 'j', 'done', 120_000);
    const data = await readCampaign(redis, c.prefix, 'j');
    expect(data.trials.map((t) => t.status)).toEqual(['succeeded', 'succeeded']);
    expect(data.trials[0]?.raw).toMatchObject({ attempt: '1', runName: '0-1-r2' });
  });
});
