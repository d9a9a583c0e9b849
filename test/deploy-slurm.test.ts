import { readFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { campaignKeys, globalKeys } from '@hyperevolve/contract';
import { parseEvolveCsv, YOLOV5_METRIC_NAMES } from '@hyperevolve/ga-core';
import { readCampaign } from './support/campaign-data.js';
import { useClusters } from './support/cluster-fixture.js';
import { fakeGpuEnv, fakeGpuUuid } from './support/fake-nvidia-smi.js';
import { processAlive, waitForStatus } from './support/faults.js';
import { BIN, ROOT } from './support/processes.js';
import { freePort } from './support/private-redis.js';
import { processesNaming, REQUEUE_DELAY_S, slurmMissing, startSlurmCluster, type SlurmCluster } from './support/slurm-cluster.js';
import { waitFor } from './support/wait-for.js';

const SCRIPT = join(ROOT, 'deploy/slurm/worker.sbatch');
const GPUS = 4;
const TASKS = 3;
// CI installs Slurm (.ci/run): there a cluster that cannot start fails the test, never skips it.
const missing = process.env.CI === 'true' ? undefined : slurmMissing();

const { redis, cluster } = useClusters({ HYPEREVOLVE_LOCK_MS: '2000', HYPEREVOLVE_STALLED_MS: '1000', HYPEREVOLVE_LOG_FORMAT: 'json' });
let slurm: SlurmCluster | undefined;
// Before the fixture's own afterEach (registered first, so it runs after this one): the jobs end
// before the fixture deletes the test's Redis keys, so no worker writes them again. A failed
// test keeps the cluster's directory (logs, state) and prints what the cluster saw.
afterEach(async (context) => {
  const failed = context.task.result?.state === 'fail';
  if (failed && slurm !== undefined) console.error(`Slurm cluster in ${slurm.dir}:\n${await slurm.diagnostics()}`);
  await slurm?.stop({ keep: failed });
  slurm = undefined;
});

/** One array task as its log shows it: the worker's pid and the GPU it claimed ("claimed GPU i"). */
async function taskWorker(logPath: string): Promise<{ pid: number; gpu: number } | undefined> {
  const lines = (await readFile(logPath, 'utf8').catch(() => '')).split('\n').filter((line) => line.startsWith('{'));
  const claimed = lines.map((line) => JSON.parse(line) as { pid: number; msg: string; gpu?: number }).findLast((entry) => /^claimed GPU \d+/.test(entry.msg));
  return claimed?.gpu === undefined ? undefined : { pid: claimed.pid, gpu: claimed.gpu };
}

describe.skipIf(missing !== undefined)(`Slurm: deploy/slurm/worker.sbatch as a job array and scheduler.sbatch as a job, on a one-node cluster${missing === undefined ? '' : ` (skipped: ${missing})`}`, () => {
  it('each task works on the GPU Slurm gives it; a task cancelled mid-trial hands the trial back, which runs again; one told to stop alone (scancel --batch --signal=TERM) finishes its trial first; a requeued task works again; the scheduler runs as a job too; 12 trials give exactly 12 rows; the jobs\' end leaves no process', { timeout: 420_000 }, async () => {
    const startedAt = Date.now();
    slurm = await startSlurmCluster({ gpus: GPUS, cpus: GPUS });
    const s = slurm;
    const c = await cluster('slurm');
    const env = {
      ...c.env,
      ...fakeGpuEnv({ count: GPUS }),
      // The worker's bin starts with `env node`: this Node first.
      PATH: `${dirname(process.execPath)}:${fakeGpuEnv({ count: GPUS }).PATH}`,
      HYPEREVOLVE_ENV: join(c.dir, 'no-env-file'),
      HYPEREVOLVE_WORKER: BIN.worker,
      HYPEREVOLVE_WORKDIR: c.workdir,
      HYPEREVOLVE_ALLOW_COMMANDS: process.execPath,
      // A grace, as for --signal=B:TERM before the time limit: scancel's SIGTERM kills the trainer
      // anyway, and the worker must hand that trial back rather than count it failed.
      HYPEREVOLVE_GRACE: '5m',
    };
    // The scheduler as a job of its own (a CPU, no GPU), with its dashboard.
    const http = `127.0.0.1:${await freePort()}`;
    const schedulerJob = (await s.client('sbatch', ['--parsable', '--cpus-per-task=1', '--mem=0', `--output=${join(c.dir, 'scheduler.log')}`, `--chdir=${c.dir}`,
      join(ROOT, 'deploy/slurm/scheduler.sbatch'), '--tick-ms', '50', '--reconcile-ms', '1000', '--export-interval-ms', '50'], {
      ...env, HYPEREVOLVE_SCHEDULER: BIN.scheduler, HYPEREVOLVE_HTTP: http,
    })).trim();
    await waitFor(async () => (await fetch(`http://${http}/healthz`).then((r) => r.ok, () => false)), { timeoutMs: 120_000, what: 'the scheduler job\'s dashboard to answer' });
    await c.enqueue(['--name', 's', '--generations', '12', '--seed', '5'], ['--epochs', '3', '--duration-ms', '2500']);

    const jobId = (await s.client('sbatch', ['--parsable', `--array=0-${TASKS - 1}`, '--cpus-per-task=1', `--output=${join(c.dir, 'worker-%a.log')}`, `--chdir=${c.dir}`, SCRIPT], env)).trim();
    const logOf = (task: number): string => join(c.dir, `worker-${task}.log`);
    const tasks = Array.from({ length: TASKS }, (_, task) => task);

    // Bound to the GPU Slurm gave it: the lease each worker holds is on the task's GRES index.
    const workers = await waitFor(async () => {
      const found = await Promise.all(tasks.map(async (task) => taskWorker(logOf(task))));
      return found.every((w) => w !== undefined) ? found : undefined;
    }, { timeoutMs: 120_000, what: `${TASKS} array tasks to start their workers` });
    for (const [task, worker] of workers.entries()) {
      const detail = await s.client('scontrol', ['show', 'job', '-d', `${jobId}_${task}`]);
      expect(detail, `task ${task}`).toMatch(new RegExp(`gpu(:1)?\\(IDX:${worker.gpu}\\)`));
      expect(await redis.get(globalKeys(c.prefix).gpuLease(fakeGpuUuid(worker.gpu)))).toMatch(new RegExp(`^${hostname()}:${worker.pid}:${worker.gpu}#`));
    }
    expect(new Set(workers.map((w) => w.gpu)).size).toBe(TASKS);

    // A task cancelled mid-trial: SIGTERM to the worker and its trainer at once.
    const workerKey = (w: { pid: number; gpu: number }): string => globalKeys(c.prefix).worker(`${hostname()}:${w.pid}:${w.gpu}`);
    const [victim, trial] = await waitFor(async () => {
      for (const task of tasks) {
        const current = await redis.hget(workerKey(workers[task] as { pid: number; gpu: number }), 'currentTrial');
        if (current !== null) return [task, Number(current.split('/')[1])] as const;
      }
      return undefined;
    }, { timeoutMs: 120_000, what: 'a worker of the array to run a trial' });
    const keys = campaignKeys(c.prefix, 's');
    await s.client('scancel', [`${jobId}_${victim}`]);
    await waitFor(async () => !(await s.client('squeue', ['-h', '-o', '%i'])).split('\n').includes(`${jobId}_${victim}`), { timeoutMs: 60_000, what: `task ${victim} to end` });
    expect(processAlive(workers[victim]?.pid ?? 0)).toBe(false);
    const victimLog = await readFile(logOf(victim), 'utf8');
    expect(victimLog).toMatch(/handing it back to the queue without counting an attempt/);
    expect(victimLog).toMatch(/worker stopped/);
    const handedBack = await redis.hgetall(keys.trial(trial));
    expect(handedBack.failedAttempts).toBeUndefined();
    expect(handedBack.error).toBeUndefined();
    await waitFor(async () => (await redis.hget(keys.trial(trial), 'status')) === 'succeeded', { timeoutMs: 120_000, what: `trial ${trial} to run again and succeed` });
    expect(await redis.hgetall(keys.trial(trial))).toMatchObject({ attempt: '1', runName: `${trial}-1-r2` });

    // A task told to stop alone (the batch step's own process, the worker, not its trainer): it
    // finishes its running trial first, records it, and ends.
    const requeued = tasks.find((task) => task !== victim) ?? 0;
    const finisher = tasks.find((task) => task !== victim && task !== requeued) ?? 0;
    await waitFor(async () => (await redis.hget(workerKey(workers[finisher] as { pid: number; gpu: number }), 'currentTrial')) ?? undefined, { timeoutMs: 120_000, what: `task ${finisher}'s worker to run a trial` });
    await s.client('scancel', ['--batch', '--signal=TERM', `${jobId}_${finisher}`]);
    await waitFor(async () => !(await s.client('squeue', ['-h', '-o', '%i'])).split('\n').includes(`${jobId}_${finisher}`), { timeoutMs: 60_000, what: `task ${finisher} to end` });
    const finisherLog = await readFile(logOf(finisher), 'utf8');
    // The trial it ran when the signal came (the one read above may have ended just before it).
    const finishing = Number(/stopping: finishing trial s\/(\d+) first/.exec(finisherLog)?.[1]);
    expect(finishing, finisherLog).toBeGreaterThanOrEqual(0);
    const runName = finisherLog.split('\n').filter((line) => line.startsWith('{')).map((line) => JSON.parse(line) as { msg: string; index?: number; runName?: string })
      .findLast((entry) => entry.msg === 'trial started' && entry.index === finishing)?.runName;
    expect(finisherLog).toMatch(/worker stopped/);
    expect(await redis.hgetall(keys.trial(finishing))).toMatchObject({ status: 'succeeded', runName });

    // A requeued task (preemption with requeue does the same) starts a new worker, which works. It
    // waits Slurm's requeue delay first (REQUEUE_DELAY_S here, 120 s by default).
    const before = workers[requeued]?.pid;
    await s.client('scontrol', ['requeue', `${jobId}_${requeued}`]);
    const requeuedAt = Date.now();
    const again = await waitFor(async () => {
      const worker = await taskWorker(logOf(requeued));
      if (worker !== undefined && worker.pid !== before) return worker;
      // Ended without a new worker (it failed at relaunch): no use waiting.
      const state = /JobState=(\S+)/.exec(await s.client('scontrol', ['show', 'job', '-o', `${jobId}_${requeued}`]).catch(() => ''))?.[1];
      return ['FAILED', 'CANCELLED', 'BOOT_FAIL', 'NODE_FAIL'].includes(state ?? '') ? `ended ${state}` : undefined;
    }, { timeoutMs: 120_000 + REQUEUE_DELAY_S * 1000, intervalMs: 500, what: `requeued task ${requeued} to start a new worker` }).catch((error: unknown) => String(error));
    if (typeof again === 'string') {
      const why = again.startsWith('ended') ? `requeued task ${requeued} ${again} without starting a new worker` : again;
      expect.fail(`${why}\n--- ${logOf(requeued)}\n${(await readFile(logOf(requeued), 'utf8').catch(() => '')).slice(-3000)}\n${await s.diagnostics()}`);
    }
    const restartS = (Date.now() - requeuedAt) / 1000;
    await waitFor(async () => (await redis.hget(workerKey(again), 'currentTrial')) ?? undefined, { timeoutMs: 120_000, what: 'the requeued task\'s worker to run a trial' });

    await waitForStatus(redis, c.prefix, 's', 'done', 240_000);
    const data = await readCampaign(redis, c.prefix, 's');
    expect(data.rows).toHaveLength(12);
    expect(data.trials.filter((t) => t.status === 'succeeded')).toHaveLength(12);
    expect(Number(data.state.failed)).toBe(0);
    await waitFor(async () => parseEvolveCsv(await readFile(join(c.outDir, 's/evolve.csv'), 'utf8'), YOLOV5_METRIC_NAMES).rows.length === 12, { timeoutMs: 60_000, what: 'evolve.csv with 12 rows' });

    // The jobs' end: every task stops, and nothing they started is left.
    await s.client('scancel', [jobId, schedulerJob]);
    await waitFor(async () => (await s.client('squeue', ['-h', '-o', '%i'])).trim() === '', { timeoutMs: 90_000, what: 'the array job to end' });
    const leftOver = async (): Promise<string[]> => (await processesNaming(c.dir)).map(({ pid, command }) => `${pid}: ${command}`);
    const left = await waitFor(async () => {
      const pids = await leftOver();
      return pids.length === 0 ? pids : undefined;
    }, { timeoutMs: 30_000, what: `no process left that mentions ${c.dir}` }).catch(leftOver);
    expect(left).toEqual([]);
    expect(await redis.keys(`${c.prefix}:gpu:*`)).toEqual([]);
    console.log(`Slurm test: ${((Date.now() - startedAt) / 1000).toFixed(1)} s (cluster start to the jobs' end), ${restartS.toFixed(1)} s of it from the requeue to the new worker's start`);
  });
});
