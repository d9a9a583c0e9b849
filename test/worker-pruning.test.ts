// A worker judges its trial at each rung of the campaign's --prune and stops it when it falls
// below the cut there (issue 15, item 3): the trainer's whole process group goes, and the run's
// result says pruned, with its rung, fitness and cut.
import { readFile } from 'node:fs/promises';
import { afterEach, beforeEach, describe, expect, inject, it } from 'vitest';
import { campaignKeys, type TrialJob } from '@hyperevolve/contract';
import { PROGRESS_FILE_NAME } from '@hyperevolve/ga-core';
import { TrialStore } from '@hyperevolve/trial-store';
import { processAlive, WorkerHarness } from './support/worker-harness.js';
import { waitFor } from './support/wait-for.js';

/**
 * As a job of a campaign created before windows carries it: no window field, which the worker
 * reads as null, judging against every trial on the rung's sorted set, as it always did.
 */
const MEDIAN_AT_1 = { mode: 'median', rungs: [1], eta: 3, minPeers: 5 } as unknown as TrialJob['pruning'];

/**
 * A generic trainer that starts a child process of its own (its pid in <progress file>.child),
 * then reports one epoch of 3 every 1.5 s with the fitness given, and never exits by itself
 * before its third epoch; after it, it takes `finishMs` more (saving weights, say) to exit.
 */
function trainer(fitness: number, finishMs = 0): string[] {
  const program = [
    "const fs = require('fs');",
    "const { spawn } = require('child_process');",
    'const progress = process.env.HYPEREVOLVE_PROGRESS_FILE;',
    "const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1 << 30)'], { stdio: 'ignore' });",
    "fs.writeFileSync(progress + '.child', String(child.pid));",
    'let epoch = 0;',
    'const tick = setInterval(() => {',
    `  fs.appendFileSync(progress, JSON.stringify({ epoch, epochs: 3, fitness: ${fitness} }) + '\\n');`,
    '  epoch += 1;',
    `  if (epoch === 3) { clearInterval(tick); child.kill(); setTimeout(() => fs.writeFileSync(process.env.HYPEREVOLVE_METRICS_FILE, JSON.stringify({ fitness: ${fitness} })), ${finishMs}); }`,
    '}, 1500);',
  ].join('\n');
  return [process.execPath, '-e', program];
}

describe('worker prunes at a rung', () => {
  let h: WorkerHarness;
  let store: TrialStore;

  beforeEach(async () => {
    h = await WorkerHarness.create(inject('redisUrl'), 'pruning');
    store = new TrialStore(h.redis, h.prefix);
    await h.setCampaignStatus('exp', 'running');
  });

  afterEach(async () => {
    await h.cleanup();
  });

  /** `count` other trials that reached rung `rung` with `fitness` there. */
  async function plantPeers(count: number, fitness: number, rung = 1): Promise<void> {
    for (let i = 0; i < count; i++) await h.redis.zadd(campaignKeys(h.prefix, 'exp').rung(rung), fitness, 100 + i);
  }

  async function childPid(index: number): Promise<number> {
    const path = `${h.workdir}/exp/${index}-1/${PROGRESS_FILE_NAME}.child`;
    return waitFor(async () => Number(await readFile(path, 'utf8').catch(() => '')) || false, { timeoutMs: 60_000, what: `trial ${index}'s child pid` });
  }

  it('stops a trial below the median of five others at rung 1, process group and all, and reports it pruned there', async () => {
    await plantPeers(5, 0.9);
    await h.addTrial({ campaign: 'exp', index: 7, command: trainer(0.1), adapter: 'generic', pruning: MEDIAN_AT_1 });
    h.startWorker(['--device', 'cpu', '--allow-command', process.execPath]);
    const child = await childPid(7);

    const [result] = await h.waitForResults(1);
    expect(result).toMatchObject({ outcome: 'pruned', final: true, failure: null, pruned: { rung: 1, fitness: 0.1, cut: 0.9 } });
    // Its fitness at the rung is kept there for the trials after it.
    expect(await store.readRungArrivals('exp', 1, null)).toContainEqual({ index: 7, fitness: 0.1 });
    // The trial ends at its rung: the epochs after it are not recorded.
    expect((await store.readCurve('exp', 7)).map((entry) => entry.epoch)).toEqual([1]);
    await waitFor(() => Promise.resolve(!processAlive(child)), { timeoutMs: 30_000, what: "the pruned trainer's child to be gone" });
  });

  it("lets a trial at or above the cut, and the campaign's first trial below it, run to the end", async () => {
    await plantPeers(5, 0.5);
    await h.addTrial({ campaign: 'exp', index: 1, command: trainer(0.5), adapter: 'generic', pruning: MEDIAN_AT_1 });
    await h.addTrial({ campaign: 'exp', index: 0, command: trainer(0.1), adapter: 'generic', pruning: MEDIAN_AT_1 });
    h.startWorker(['--device', 'cpu', '--allow-command', process.execPath]);
    const results = await h.waitForResults(2, () => true, 120_000);
    expect(results.map((r) => [r.index, r.outcome])).toEqual(expect.arrayContaining([[1, 'succeeded'], [0, 'succeeded']]));
    expect((await store.readCurve('exp', 0)).map((entry) => entry.epoch)).toEqual([1, 2, 3]);
  });

  it('needs five peers at a rung: with four, a trial far below them goes on', async () => {
    await plantPeers(4, 0.9);
    await h.addTrial({ campaign: 'exp', index: 9, command: trainer(0.1), adapter: 'generic', pruning: MEDIAN_AT_1 });
    h.startWorker(['--device', 'cpu', '--allow-command', process.execPath]);
    const [result] = await h.waitForResults(1, () => true, 120_000);
    expect(result).toMatchObject({ outcome: 'succeeded', fitness: 0.1 });
  });

  it("never stops a trial at its last epoch: a rung the enqueue could not check against the trainer's epoch count", async () => {
    // The generic trainer says its 3 epochs only in its progress lines, so rung 3 was accepted.
    await plantPeers(5, 0.9, 3);
    await h.addTrial({ campaign: 'exp', index: 11, command: trainer(0.1, 4000), adapter: 'generic', pruning: { ...MEDIAN_AT_1, rungs: [3] } });
    h.startWorker(['--device', 'cpu', '--allow-command', process.execPath]);
    const [result] = await h.waitForResults(1, () => true, 120_000);
    expect(result).toMatchObject({ outcome: 'succeeded', fitness: 0.1 });
  });
});
