import { STRATEGY_NAMES } from '@hyperevolve/ga-core';
import { median, quantile } from '../harness/stats.js';
import type { BenchContext, ScenarioResult } from '../harness/scenario.js';
import { simulateCampaign } from '../support/quality-simulation.js';

const TRIALS = 300;
const NOISE = 0.01;
const LOOKAHEAD = 1;

const NOTE =
  'quality: a discrete-event simulation in virtual time (no Redis, no waiting): W workers, trial durations D·exp(0.25·z) ' +
  'seeded per trial; when a run ends its worker takes a waiting candidate, the result is recorded, and the top-up breeds ' +
  'idle + lookahead − waiting candidates with ga-core\'s breedCandidate from the top 5 finished so far (so each child sees only ' +
  'results that ended before it was bred); fitness = sim-train\'s landscape with noise σ = 0.01 on the quality. ' +
  'best = best recorded fitness of a campaign; spread = p10..p90 over the seeds; best_true = the noise-free fitness of that trial.';

export async function quality(context: BenchContext): Promise<ScenarioResult[]> {
  const seeds = Array.from({ length: 10 }, (_, i) => i + 1);
  const results: ScenarioResult[] = [];
  for (const strategy of STRATEGY_NAMES) {
    let baseline = Number.NaN;
    for (const workers of [1, 8]) {
      context.progress(`quality: ${strategy} parents, W=${workers}, ${seeds.length} seeds × ${TRIALS} trials`);
      const outcomes = seeds.map((seed) => simulateCampaign({ workers, trials: TRIALS, seed, strategy, lookahead: LOOKAHEAD, noise: NOISE }));
      const best = outcomes.map((outcome) => outcome.best);
      const bestMedian = median(best);
      if (workers === 1) baseline = bestMedian;
      const metrics: Record<string, number> = {
        best_fitness_median: bestMedian,
        best_fitness_p10: quantile(best, 0.1),
        best_fitness_p90: quantile(best, 0.9),
        best_true_fitness_median: median(outcomes.map((outcome) => outcome.bestTrue)),
      };
      if (workers > 1) metrics.median_vs_w1 = bestMedian / baseline;
      results.push({
        name: 'quality',
        params: { strategy, workers, trials: TRIALS, seeds: seeds.length, lookahead: LOOKAHEAD },
        metrics,
        targets: workers > 1 ? [{ metric: 'median_vs_w1', op: '>=', bound: 0.99 }] : [],
        notes: [NOTE],
      });
    }
  }
  await Promise.resolve();
  return results;
}
