// A trainer that reports a high fitness at a rung and ends low (a liar) must not keep honest
// trials pruned for the rest of the campaign (issue 19): with a window, a rung judges a run
// against the last K runs that reached it, so the liar's entry ages out after K more; judged
// against every run that ever reached it (`--prune-window all`, and campaigns from before
// windows), the liar's cut stays. Real worker, real trainer processes, real Redis.
import { afterEach, beforeEach, describe, expect, inject, it } from 'vitest';
import { campaignKeys, type TrialJob, type TrialResult } from '@hyperevolve/contract';
import { TrialStore } from '@hyperevolve/trial-store';
import { WorkerHarness } from './support/worker-harness.js';

/** Like `--prune fast`: one rung after epoch 1, η 6 (n = 6 at the rung keeps only the best), here with the smallest window, 5. */
const WINDOWED: TrialJob['pruning'] = { mode: 'fast', rungs: [1], eta: 6, minPeers: 5, window: 5 };
const UNWINDOWED: TrialJob['pruning'] = { ...WINDOWED, window: null };
const HONEST = 0.85;
const LIE = 0.9;
/** Honest trials after the liar: the first 5 have it in their window, the 6th has not. */
const HONEST_TRIALS = 6;

/**
 * A generic trainer of 3 epochs: `atRung` after the first (at 300 ms), `final` after the others
 * and as its result, 4 s later: the worker has that long to judge the rung and stop a run below
 * the cut before it would end by itself (the 300 ms between epochs this test had was one poll of
 * the progress file, too little on a loaded machine).
 */
function trainer(atRung: number, final: number): string[] {
  const program = [
    "const fs = require('fs');",
    'const progress = process.env.HYPEREVOLVE_PROGRESS_FILE;',
    "const write = (epoch, fitness) => fs.appendFileSync(progress, JSON.stringify({ epoch, epochs: 3, fitness }) + '\\n');",
    `setTimeout(() => write(0, ${atRung}), 300);`,
    `setTimeout(() => { write(1, ${final}); write(2, ${final}); fs.writeFileSync(process.env.HYPEREVOLVE_METRICS_FILE, JSON.stringify({ fitness: ${final} })); }, 4300);`,
  ].join('\n');
  return [process.execPath, '-e', program];
}

describe('a liar at a rung', () => {
  let h: WorkerHarness;

  beforeEach(async () => {
    h = await WorkerHarness.create(inject('redisUrl'), 'pruning-window');
    await h.setCampaignStatus('exp', 'running');
  });

  afterEach(async () => {
    await h.cleanup();
  });

  /**
   * Four honest trials reached rung 1 earlier (planted as record-epoch stores them); then, on one
   * worker in this order, the liar (trial 10: 0.9 at the rung, 0.1 at its end) and six honest
   * trials (0.85 throughout). Returns the honest trials' results in trial order.
   */
  async function campaignWithLiar(pruning: TrialJob['pruning']): Promise<TrialResult[]> {
    const keys = campaignKeys(h.prefix, 'exp');
    for (let index = 1; index <= 4; index++) {
      await h.redis.zadd(keys.rung(1), HONEST, index);
      await h.redis.rpush(keys.rungLog(1), `${index}:${HONEST}`);
    }
    await h.addTrial({ campaign: 'exp', index: 10, command: trainer(LIE, 0.1), adapter: 'generic', pruning });
    for (let i = 1; i <= HONEST_TRIALS; i++) await h.addTrial({ campaign: 'exp', index: 10 + i, command: trainer(HONEST, HONEST), adapter: 'generic', pruning });
    h.startWorker(['--device', 'cpu', '--allow-command', process.execPath]);
    const results = await h.waitForResults(1 + HONEST_TRIALS, () => true, 120_000);
    expect(results.find((result) => result.index === 10)).toMatchObject({ outcome: 'succeeded', fitness: 0.1 });
    return results.filter((result) => result.index > 10).sort((a, b) => a.index - b.index);
  }

  it('prunes the honest trials below its cut only until it leaves the window: the sixth after it goes on and finishes', async () => {
    const honest = await campaignWithLiar(WINDOWED);
    expect(honest.map((result) => result.outcome)).toEqual(['pruned', 'pruned', 'pruned', 'pruned', 'pruned', 'succeeded']);
    for (const result of honest.slice(0, 5)) expect(result.pruned).toEqual({ rung: 1, fitness: HONEST, cut: LIE });
    expect(honest[5]).toMatchObject({ fitness: HONEST });
    // The rung's log holds them in the order they reached it.
    const arrivals = await new TrialStore(h.redis, h.prefix).readRungArrivals('exp', 1, 5);
    expect(arrivals.map((entry) => entry.index)).toEqual([1, 2, 3, 4, 10, 11, 12, 13, 14, 15, 16]);
  });

  it('without a window (campaigns from before windows, --prune-window all) its cut of 0.9 keeps every honest trial pruned', async () => {
    const honest = await campaignWithLiar(UNWINDOWED);
    expect(honest.map((result) => result.pruned)).toEqual(Array.from({ length: HONEST_TRIALS }, () => ({ rung: 1, fitness: HONEST, cut: LIE })));
  });
});
