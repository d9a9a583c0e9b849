import { STRATEGY_NAMES, configurePruning, type PruneMode, type StrategyName } from '@hyperevolve/ga-core';
import { median, quantile } from '../harness/stats.js';
import type { BenchContext, ScenarioResult } from '../harness/scenario.js';
import { simulateCampaign, type CampaignOutcome } from '../support/campaign-simulation.js';
import { bestAt, gpuToReach } from '../support/campaign-trace.js';
import { ULTRALYTICS_SEARCH, YOLOV5_SEARCH, type SimulatedSearch } from '../support/simulated-search.js';
import { SIMULATION } from '../support/simulation-setup.js';

const { trials: TRIALS, workers: WORKERS, epochs: EPOCHS, noise: NOISE, lookahead: LOOKAHEAD, correlations: CORRELATIONS } = SIMULATION;
const PRUNED: PruneMode = 'asha';

const NOTE =
  `quality per GPU-hour: the pruning scenario's simulation (W = ${WORKERS}, ${EPOCHS} epochs, ${TRIALS} full trials, noise 0.01) for each ` +
  'breeding strategy, unpruned and with --prune asha (its default rungs and η), on two searches: yolov5 = hyp.scratch-low and v7.0\'s ' +
  "space on sim-train's landscape; ultralytics = the Tuner's defaults and space on sim-train's Ultralytics landscape (its optimum " +
  'away from 0 in 4 hyps that start at 0). GPU time = sum of run time. best_at_equal_gpu = median over seeds of the best once ' +
  'the reference GPU time is spent (the median GPU time of the unpruned single campaigns on that search: the same budget for every row); ' +
  'best_at_equal_gpu_p10 = its 10th percentile over seeds; vs_single = that over single\'s unpruned; gpu_to_reach_single_best = GPU time by which the median campaign reached the unpruned single ' +
  'campaigns\' median best, over the reference (NaN: never); best_true = the noise-free fitness of the final best.';

interface Row {
  search: SimulatedSearch;
  strategy: StrategyName;
  prune: PruneMode;
  rankCorrelation: number | null;
  outcomes: CampaignOutcome[];
}

/**
 * The breeding strategies side by side at equal GPU time, with and without pruning, on
 * YOLOv5's and Ultralytics' search: which to pick when (docs/benchmarks.md).
 */
export async function qualityPerGpu(context: BenchContext): Promise<ScenarioResult[]> {
  const seeds = Array.from({ length: context.quick ? 5 : 20 }, (_, i) => i + 1);
  const results: ScenarioResult[] = [];
  for (const search of [YOLOV5_SEARCH, ULTRALYTICS_SEARCH]) {
    const rows: Row[] = [];
    const run = (strategy: StrategyName, prune: PruneMode, rankCorrelation: number | null): CampaignOutcome[] =>
      seeds.map((seed) =>
        simulateCampaign({
          workers: WORKERS,
          trials: TRIALS,
          seed,
          strategy,
          lookahead: LOOKAHEAD,
          noise: NOISE,
          epochs: EPOCHS,
          rankCorrelation: rankCorrelation ?? 1,
          pruning: configurePruning({ name: prune, params: {} }, EPOCHS),
          search,
        }),
      );
    for (const strategy of STRATEGY_NAMES) {
      context.progress(`quality per GPU: ${search.name} search, ${strategy}, unpruned and --prune ${PRUNED} at rank correlation ${CORRELATIONS.join(' and ')}, ${seeds.length} seeds`);
      rows.push({ search, strategy, prune: 'none', rankCorrelation: null, outcomes: run(strategy, 'none', null) });
      for (const rankCorrelation of CORRELATIONS) rows.push({ search, strategy, prune: PRUNED, rankCorrelation, outcomes: run(strategy, PRUNED, rankCorrelation) });
    }
    const reference = rows.find((row) => row.strategy === 'single' && row.prune === 'none');
    if (reference === undefined) throw new Error('no unpruned single campaigns to compare with');
    const gpu = median(reference.outcomes.map((outcome) => outcome.gpu));
    const singleBest = median(reference.outcomes.map((outcome) => outcome.best));
    const singleAtGpu = median(reference.outcomes.map((outcome) => bestAt(outcome, gpu)));
    for (const row of rows) {
      const atGpu = row.outcomes.map((outcome) => bestAt(outcome, gpu));
      results.push({
        name: 'quality',
        params: { recipe: 'per-gpu', search: search.name, strategy: row.strategy, prune: row.prune, rank_corr: row.rankCorrelation ?? '-', workers: WORKERS, trials: TRIALS, seeds: seeds.length },
        metrics: {
          best_at_equal_gpu: median(atGpu),
          best_at_equal_gpu_p10: quantile(atGpu, 0.1),
          vs_single: median(atGpu) / singleAtGpu,
          gpu_to_reach_single_best: gpuToReach(row.outcomes, singleBest) / gpu,
          best_true_median: median(row.outcomes.map((outcome) => outcome.bestTrue)),
        },
        notes: [NOTE],
      });
    }
  }
  await Promise.resolve();
  return results;
}
