// A worker records each epoch its trainer writes while the trainer runs (issue 15, item 1), and
// stops one that writes none for the campaign's --stall-timeout (item 2).
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, inject, it } from 'vitest';
import { campaignKeys } from '@hyperevolve/contract';
import { TrialStore } from '@hyperevolve/trial-store';
import { BIN } from './support/processes.js';
import { processAlive, WorkerHarness } from './support/worker-harness.js';
import { waitFor } from './support/wait-for.js';

describe('worker follows epochs', () => {
  let h: WorkerHarness;
  let store: TrialStore;

  beforeEach(async () => {
    h = await WorkerHarness.create(inject('redisUrl'), 'epochs');
    store = new TrialStore(h.redis, h.prefix);
  });

  afterEach(async () => {
    await h.cleanup();
  });

  it("records each row of YOLOv5's results.csv on the trial while the trainer runs, with train.py's --epochs as the count", async () => {
    await h.setCampaignStatus('exp', 'running');
    const command = [process.execPath, BIN.simTrain, '--epochs', '4', '--duration-ms', '8000', '--rank-correlation', '0.6'];
    await h.addTrial({ campaign: 'exp', index: 0, command, fastTrials: false });
    h.startWorker();

    // Streams: an epoch is on the trial before the run's result exists.
    await waitFor(async () => ((await store.readProgress('exp', [0]))[0]?.epoch ?? 0) >= 1, { timeoutMs: 60_000, what: 'the first epoch on the trial' });
    expect(await h.postedResults()).toHaveLength(0);
    const [progress] = await store.readProgress('exp', [0]);
    // A job without fitness weights, of a campaign without a config: no fitness to store.
    expect(progress).toMatchObject({ epochs: 4, fitness: null });
    expect(progress?.metrics?.['metrics/mAP_0.5:0.95']).toBeGreaterThan(0);

    const [result] = await h.waitForResults(1);
    const curve = await store.readCurve('exp', 0);
    expect(curve.map((entry) => [entry.run, entry.epoch, entry.epochs])).toEqual([['0-1', 1, 4], ['0-1', 2, 4], ['0-1', 3, 4], ['0-1', 4, 4]]);
    // The last epoch's metrics are the run's result.
    expect(curve.at(-1)?.metrics?.['metrics/mAP_0.5:0.95']).toBe(result?.metrics?.['metrics/mAP_0.5:0.95']);
  });

  it.each<[string, { fitnessWeights?: number[] }, number[] | null]>([
    ['the job carries', { fitnessWeights: [0, 0, 0.1, 0.9] }, null],
    ['an older scheduler\'s job lacks, read from its campaign', {}, [0, 0, 0.1, 0.9]],
  ])('stores each epoch with its fitness, by the weights %s', async (_, weights, configWeights) => {
    await h.setCampaignStatus('exp', 'running');
    if (configWeights !== null) await h.redis.set(campaignKeys(h.prefix, 'exp').config, JSON.stringify({ fitnessWeights: configWeights }));
    const command = [process.execPath, BIN.simTrain, '--epochs', '3', '--duration-ms', '600', '--rank-correlation', '0.6'];
    await h.addTrial({ campaign: 'exp', index: 1, command, fastTrials: false, ...weights });
    h.startWorker();

    await h.waitForResults(1);
    const curve = await store.readCurve('exp', 1);
    expect(curve).toHaveLength(3);
    for (const entry of curve) {
      const m = entry.metrics ?? {};
      expect(entry.fitness).toBeCloseTo(0.1 * (m['metrics/mAP_0.5'] ?? Number.NaN) + 0.9 * (m['metrics/mAP_0.5:0.95'] ?? Number.NaN), 12);
    }
    const [progress] = await store.readProgress('exp', [1]);
    expect(progress?.fitness).toBe(curve.at(-1)?.fitness);
  });

  it("follows a generic program's progress file, skipping a line it cannot read, and takes a last line without a newline", async () => {
    await h.setCampaignStatus('exp', 'running');
    const program = [
      "const fs = require('fs');",
      'const progress = process.env.HYPEREVOLVE_PROGRESS_FILE;',
      "fs.appendFileSync(progress, '{\"epoch\": 0, \"epochs\": 2, \"fitness\": 0.1}\\n{\"epoch\": 1, \"fit');",
      "setTimeout(() => fs.appendFileSync(progress, 'ness\": 0.2}\\nnot json\\n{\"epoch\": 2, \"epochs\": 2, \"metrics\": {\"val/box_loss\": \"nan\"}, \"fitness\": 0.3}'), 1500);",
      "setTimeout(() => fs.writeFileSync(process.env.HYPEREVOLVE_METRICS_FILE, JSON.stringify({ fitness: 0.3 })), 2000);",
    ].join('\n');
    await h.addTrial({ campaign: 'exp', index: 3, command: [process.execPath, '-e', program], adapter: 'generic' });
    h.startWorker(['--device', 'cpu', '--allow-command', process.execPath]);

    const [result] = await h.waitForResults(1);
    expect(result).toMatchObject({ outcome: 'succeeded', fitness: 0.3 });
    const curve = await store.readCurve('exp', 3);
    expect(curve.map(({ run, epoch, epochs, fitness, metrics }) => ({ run, epoch, epochs, fitness, metrics }))).toEqual([
      { run: '3-1', epoch: 1, epochs: 2, fitness: 0.1, metrics: undefined },
      { run: '3-1', epoch: 2, epochs: undefined, fitness: 0.2, metrics: undefined },
      { run: '3-1', epoch: 3, epochs: 2, fitness: 0.3, metrics: { 'val/box_loss': null } },
    ]);
  });

  it('stops a run that reports no new epoch within --stall-timeout, its whole process group, as a stalled failure', async () => {
    await h.setCampaignStatus('exp', 'running');
    // Two epochs, then it hangs with a child process of its own.
    const command = [process.execPath, BIN.simTrain, '--epochs', '4', '--duration-ms', '400', '--fail', 'hang-with-child'];
    await h.addTrial({ campaign: 'exp', index: 5, command, stallTimeoutMs: 8000 });
    h.startWorker();

    const [result] = await h.waitForResults(1);
    expect(result).toMatchObject({ outcome: 'failed', final: true, failure: { kind: 'stalled' } });
    expect(result?.failure?.message).toMatch(/no new epoch for 8 s \(the campaign's --stall-timeout\)/);
    expect((await store.readCurve('exp', 5)).map((entry) => entry.epoch)).toEqual([1, 2]);
    const child = Number(await readFile(join(h.workdir, 'exp', '5-1', 'child.pid'), 'utf8'));
    await waitFor(() => Promise.resolve(!processAlive(child)), { timeoutMs: 30_000, what: "the stalled trainer's child to be gone" });
  });
});
