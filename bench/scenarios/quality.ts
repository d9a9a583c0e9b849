import { STRATEGY_NAMES, type StrategyName } from '@hyperevolve/ga-core';
import { median, quantile } from '../harness/stats.js';
import type { BenchContext, ScenarioResult } from '../harness/scenario.js';
import { simulateCampaign, type CampaignOutcome } from '../support/campaign-simulation.js';
import { qualityPerGpu } from './quality-per-gpu.js';

const TRIALS = 300;
const NOISE = 0.01;
const LOOKAHEAD = 1;

const NOTE =
  'quality: a discrete-event simulation in virtual time (no Redis, no waiting): W workers, trial durations D·exp(0.25·z) ' +
  'seeded per trial; when a run ends its worker takes a waiting candidate, the result is recorded, and the top-up breeds ' +
  'idle + lookahead − waiting candidates with ga-core\'s breedCandidate from the top 5 finished so far (so each child sees only ' +
  'results that ended before it was bred); fitness = sim-train\'s landscape with noise σ = 0.01 on the quality. ' +
  'best = best recorded fitness of a campaign; spread = p10..p90 over the seeds; best_true = the noise-free fitness of that trial. ' +
  "recipe=yolov5-staggered-loops: YOLOv5's own recipe at the same W and budget, W `train.py --evolve` loops started one per GPU that never " +
  'see each other\'s results: each a W=1 campaign of 300/W trials from the base hyp (its first trial the base hyp itself, its own seed), ' +
  'the campaign\'s best the best of the W; median_vs_shared = its median best over the shared population\'s at the same W.';

const STAGGERED_LOOPS = 8;

/** W independent YOLOv5 loops, 300/W trials each (the first TRIALS mod W loops one more), each seeded on its own; the best of them. */
function staggeredLoops(seed: number, strategy: StrategyName): CampaignOutcome {
  const loops = Array.from({ length: STAGGERED_LOOPS }, (_, loop) =>
    simulateCampaign({
      workers: 1,
      trials: Math.floor(TRIALS / STAGGERED_LOOPS) + (loop < TRIALS % STAGGERED_LOOPS ? 1 : 0),
      seed: seed * 1000 + loop + 1,
      strategy,
      lookahead: 0,
      noise: NOISE,
    }),
  );
  return loops.reduce((a, b) => (b.best > a.best ? b : a));
}

export async function quality(context: BenchContext): Promise<ScenarioResult[]> {
  const seeds = Array.from({ length: 10 }, (_, i) => i + 1);
  const results: ScenarioResult[] = [];
  for (const strategy of STRATEGY_NAMES) {
    let baseline = Number.NaN;
    let shared = Number.NaN;
    for (const workers of [1, 8]) {
      context.progress(`quality: ${strategy} parents, W=${workers}, ${seeds.length} seeds × ${TRIALS} trials`);
      const outcomes = seeds.map((seed) => simulateCampaign({ workers, trials: TRIALS, seed, strategy, lookahead: LOOKAHEAD, noise: NOISE }));
      const best = outcomes.map((outcome) => outcome.best);
      const bestMedian = median(best);
      if (workers === 1) baseline = bestMedian;
      if (workers > 1) shared = bestMedian;
      const metrics: Record<string, number> = {
        best_fitness_median: bestMedian,
        best_fitness_p10: quantile(best, 0.1),
        best_fitness_p90: quantile(best, 0.9),
        best_true_fitness_median: median(outcomes.map((outcome) => outcome.bestTrue)),
      };
      if (workers > 1) metrics.median_vs_w1 = bestMedian / baseline;
      results.push({
        name: 'quality',
        params: { strategy, recipe: 'shared-population', workers, trials: TRIALS, seeds: seeds.length, lookahead: LOOKAHEAD },
        metrics,
        targets: workers > 1 ? [{ metric: 'median_vs_w1', op: '>=', bound: 0.99 }] : [],
        notes: [NOTE],
      });
    }
    context.progress(`quality: ${strategy} parents, ${STAGGERED_LOOPS} staggered YOLOv5 loops, ${seeds.length} seeds × ${TRIALS} trials`);
    const loops = seeds.map((seed) => staggeredLoops(seed, strategy));
    const best = loops.map((outcome) => outcome.best);
    results.push({
      name: 'quality',
      params: { strategy, recipe: 'yolov5-staggered-loops', workers: STAGGERED_LOOPS, trials: TRIALS, seeds: seeds.length },
      metrics: {
        best_fitness_median: median(best),
        best_fitness_p10: quantile(best, 0.1),
        best_fitness_p90: quantile(best, 0.9),
        best_true_fitness_median: median(loops.map((outcome) => outcome.bestTrue)),
        median_vs_shared: median(best) / shared,
      },
      notes: [NOTE],
    });
  }
  results.push(...(await qualityPerGpu(context)));
  return results;
}
