import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, inject, it } from 'vitest';
import { TRIALS_QUEUE, trialJobId } from '@hyperevolve/contract';
import { processAlive, processesMentioning } from './support/faults.js';
import { fakeGpuEnv } from './support/fake-nvidia-smi.js';
import { hangOnceScript } from './support/hang-once-trainer.js';
import { BIN } from './support/processes.js';
import { WorkerHarness } from './support/worker-harness.js';
import { waitFor } from './support/wait-for.js';

/**
 * The first SIGTERM/SIGINT (Ctrl-C) of a worker lets the running trial finish; a second one, or
 * the end of --grace, kills the trainer and hands the trial back to the queue.
 */
describe('worker stop: finish the running trial first', () => {
  let h: WorkerHarness;

  beforeEach(async () => {
    h = await WorkerHarness.create(inject('redisUrl'), 'finish');
    await h.setCampaignStatus('exp', 'running');
  });

  afterEach(async () => {
    await h.cleanup();
  });

  /** The hang-once trainer's pid, once it hangs. */
  async function hungTrainer(marker: string): Promise<number> {
    return waitFor(async () => Number((await readFile(marker, 'utf8').catch(() => '')).split(' ')[0]) || undefined, { what: 'the trainer to hang' });
  }

  it('first SIGTERM without --grace: no new trial, the running one goes on (heartbeat and job lock renewed) to its result, then exit 0', { timeout: 120_000 }, async () => {
    await h.addTrial({ campaign: 'exp', index: 1, command: [process.execPath, BIN.simTrain, '--epochs', '6', '--duration-ms', '9000'] });
    await h.addTrial({ campaign: 'exp', index: 2, command: [process.execPath, BIN.simTrain, '--epochs', '2', '--duration-ms', '100'] });
    const worker = h.startWorker();
    const runDir = `${h.workdir}/exp/1-1`;
    const trainer = await waitFor(async () => (await processesMentioning(runDir))[0], { what: 'trial 1\'s trainer to run' });
    const rows = async (): Promise<number> => (await readFile(join(runDir, 'results.csv'), 'utf8').catch(() => '')).split('\n').filter((line) => /^\s*\d/.test(line)).length;

    worker.child.kill('SIGTERM');
    await worker.waitForOutput(/stopping: finishing trial exp\/1 first, however long it takes \(no --grace\)\. To stop at once, press Ctrl-C again or send SIGTERM again: the trial is then killed and handed back to the queue/);
    const atSignal = await rows();
    expect(processAlive(trainer)).toBe(true);
    // Two more epochs (3 s at least): longer than the heartbeat's TTL (900 ms) and the job lock (2 s).
    await waitFor(async () => (await rows()) >= atSignal + 2, { what: 'the trainer to go on with its epochs after the signal' });
    expect((await h.heartbeat(`${(await h.registeredWorkers())[0] ?? 'none'}`)).currentTrial).toBe('exp/1');
    expect(await h.redis.exists(`${h.prefix}:${TRIALS_QUEUE}:${trialJobId('exp', 1)}:lock`)).toBe(1);

    expect(await worker.exited).toEqual({ code: 0, signal: null });
    expect((await h.postedResults()).map((r) => [r.index, r.outcome])).toEqual([[1, 'succeeded']]);
    expect(await rows()).toBe(6);
    expect(await h.trials.getJobState(trialJobId('exp', 2))).toBe('waiting');
    expect((await h.trialHash('exp', 2)).status).toBe('queued');
    expect(await h.registeredWorkers()).toEqual([]);
  });

  it('first SIGINT, then a second: the trainer is killed, the trial handed back uncounted (exit 130) and run by the next worker', { timeout: 120_000 }, async () => {
    const marker = join(h.dir, 'hung.pid');
    await h.addTrial({ campaign: 'exp', index: 3, command: [process.execPath, await hangOnceScript(h.dir), marker], adapter: 'generic' });
    const first = h.startWorker();
    const trainer = await hungTrainer(marker);

    first.child.kill('SIGINT');
    await first.waitForOutput(/stopping: finishing trial exp\/3 first, however long it takes/);
    expect(processAlive(trainer)).toBe(true);
    first.child.kill('SIGINT');
    expect(await first.exited).toEqual({ code: 130, signal: null });
    expect(processAlive(trainer)).toBe(false);
    expect(first.output()).toMatch(/second signal: killing the running trials, handing them back to the queue and exiting now/);
    expect(first.output()).toMatch(/handing it back to the queue without counting an attempt/);
    expect(first.output()).not.toMatch(/exiting before Redis answered/);
    // Handed back before the exit: waiting at once, not only once its lock lapses.
    const job = await h.trials.getJob(trialJobId('exp', 3));
    expect(await job?.getState()).toBe('waiting');
    expect(job?.attemptsMade).toBe(0);
    expect(await h.postedResults()).toEqual([]);
    expect(await h.registeredWorkers()).toEqual([]);

    h.startWorker();
    const [result] = await h.waitForResults(1);
    expect(result).toMatchObject({ index: 3, attempt: 1, runName: '3-1-r2', outcome: 'succeeded', fitness: 0.5 });
  });

  it('--grace 2s: the running trial may go on for 2 s, then it is killed and handed back uncounted, and the worker exits 0', { timeout: 120_000 }, async () => {
    const marker = join(h.dir, 'hung.pid');
    await h.addTrial({ campaign: 'exp', index: 5, command: [process.execPath, await hangOnceScript(h.dir), marker], adapter: 'generic' }, 2);
    const worker = h.startWorker(['--device', 'cpu', '--allow-command', process.execPath, '--grace', '2s']);
    const trainer = await hungTrainer(marker);

    const signalledAt = Date.now();
    worker.child.kill('SIGTERM');
    await worker.waitForOutput(/stopping: finishing trial exp\/5 first, for at most 2s \(--grace\); past that it is killed and handed back to the queue\. To stop at once, press Ctrl-C again or send SIGTERM again/);
    expect(processAlive(trainer)).toBe(true);
    expect(await worker.exited).toEqual({ code: 0, signal: null });
    expect(Date.now() - signalledAt).toBeGreaterThanOrEqual(2000);
    expect(processAlive(trainer)).toBe(false);
    expect(worker.output()).toMatch(/the --grace of 2s is over: killing trial exp\/5 and handing it back to the queue/);
    const job = await h.trials.getJob(trialJobId('exp', 5));
    expect(await job?.getState()).toBe('waiting');
    expect(job?.attemptsMade).toBe(0);
    expect(await h.postedResults()).toEqual([]);
  });

  it('a trial taken but not started yet (its GPU is not free) is not started after the first signal: it goes back to the queue, and the worker exits 0', { timeout: 120_000 }, async () => {
    await h.addTrial({ campaign: 'exp', index: 6, command: [process.execPath, BIN.simTrain, '--epochs', '2', '--duration-ms', '100'] });
    // Another process (this test's) is on GPU 0: the worker holds the trial until it is gone.
    const worker = h.startWorker(['--device', '0', '--allow-command', process.execPath], fakeGpuEnv({ count: 1, apps: [{ index: 0, pid: process.pid, memoryMiB: 900 }] }));
    await worker.waitForOutput(/not starting the trial: processes \d+ are on this GPU/);

    worker.child.kill('SIGTERM');
    expect(await worker.exited).toEqual({ code: 0, signal: null });
    expect(worker.output()).toMatch(/stopping: not starting trial exp\/6; handing it back to the queue/);
    expect(worker.output()).not.toMatch(/finishing trial/);
    expect(await processesMentioning(`${h.workdir}/exp/6-1`)).toEqual([]);
    const job = await h.trials.getJob(trialJobId('exp', 6));
    expect(await job?.getState()).toBe('waiting');
    expect(job?.attemptsMade).toBe(0);
    expect(await h.postedResults()).toEqual([]);
  });
});
