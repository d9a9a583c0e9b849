import { NO_PRUNING, compilePruning, type PruneMode } from '@hyperevolve/ga-core';
import { median, spearman } from '../harness/stats.js';
import type { BenchContext, ScenarioResult, Target } from '../harness/scenario.js';
import { simulateCampaign } from '../support/campaign-simulation.js';
import { bestAt, fullTrialsToReach, gpuToReach } from '../support/campaign-trace.js';

const TRIALS = 300;
const WORKERS = 8;
const EPOCHS = 10;
const NOISE = 0.01;
const LOOKAHEAD = 1;
/** 0.6 and 0.9 carry the targets; 1 (the first rung ranks runs exactly as their end) is the reference that bounds what any rung rule can do. */
const CORRELATIONS = [0.6, 0.9, 1] as const;
const MODES: readonly PruneMode[] = ['none', 'median', 'asha'];

const NOTE =
  'pruning: the scheduling simulated with ga-core directly (no Redis, no processes, no waiting): the quality scenario\'s ' +
  `discrete-event simulation with each run's ${EPOCHS} epochs as events; at each rung (default for ${EPOCHS} epochs: 1,3; η = 3) ga-core's decideAtRung ` +
  "judges the run against the runs that reached that rung before it; a run's fitness after each epoch follows sim-train's learning curve " +
  "at the given rank correlation between the first rung and the end; pruned runs are never parents and do not count toward the 300. " +
  'GPU time = sum of run time, in mean trial durations. gpu_to_reach = GPU time by which the median campaign (over seeds) has reached ' +
  "the unpruned campaigns' median best; best_at_equal_gpu = median best once the unpruned campaigns' median GPU time is spent; " +
  'full_trials_to_reach = full trials each campaign recorded until its best reached that median best (median over seeds): with every ' +
  'kept run costing a whole run, it bounds gpu_to_reach from below whatever the pruned runs cost. ' +
  "rank_corr_measured = Spearman between the fitness after epoch 1 and the final one over each unpruned campaign's trials (median over seeds): " +
  'a population narrower than the curve\'s reference spread shows less.';

/**
 * `--prune none|median|asha` on 300-full-trial campaigns at W = 8, with the simulated trainer's
 * early epochs predicting its end at rank correlation 0.6, 0.9 and 1 (the reference: no rule can do
 * better than with a perfect first rung). Targets (issue 15): at 0.9
 * the unpruned median best in at most half the GPU time; at 0.6 no worse a median best at equal
 * GPU time.
 */
export async function pruning(context: BenchContext): Promise<ScenarioResult[]> {
  const seeds = Array.from({ length: context.quick ? 5 : 20 }, (_, i) => i + 1);
  const results: ScenarioResult[] = [];
  for (const rankCorrelation of CORRELATIONS) {
    let none: { best: number; gpu: number; reach: number; bestAtGpu: number } | undefined;
    for (const mode of MODES) {
      context.progress(`pruning: rank correlation ${rankCorrelation}, --prune ${mode}, ${seeds.length} seeds × ${TRIALS} full trials`);
      const settings = mode === 'none' ? NO_PRUNING : compilePruning({ mode }, EPOCHS);
      const outcomes = seeds.map((seed) =>
        simulateCampaign({ workers: WORKERS, trials: TRIALS, seed, strategy: 'single', lookahead: LOOKAHEAD, noise: NOISE, epochs: EPOCHS, rankCorrelation, pruning: settings }),
      );
      const best = median(outcomes.map((outcome) => outcome.best));
      const gpu = median(outcomes.map((outcome) => outcome.gpu));
      none ??= { best, gpu, reach: Number.NaN, bestAtGpu: Number.NaN };
      const reach = gpuToReach(outcomes, none.best);
      const bestAtGpu = median(outcomes.map((outcome) => bestAt(outcome, none?.gpu ?? Number.NaN)));
      if (mode === 'none') Object.assign(none, { reach, bestAtGpu });
      const metrics: Record<string, number> = {
        best_median: best,
        gpu_median: gpu,
        gpu_to_reach_unpruned_best: reach,
        gpu_to_reach_vs_unpruned: reach / none.reach,
        best_at_equal_gpu: bestAtGpu,
        best_at_equal_gpu_vs_unpruned: bestAtGpu / none.bestAtGpu,
        full_trials_to_reach: median(outcomes.map((outcome) => fullTrialsToReach(outcome, none?.best ?? Number.NaN))),
        pruned_share: median(outcomes.map((outcome) => outcome.pruned / outcome.issued)),
      };
      if (mode === 'none') metrics.rank_corr_measured = median(outcomes.map((outcome) => spearman(outcome.firstVsFinal)));
      const targets: Target[] =
        mode === 'none' || rankCorrelation === 1 ? [] : rankCorrelation === 0.9 ? [{ metric: 'gpu_to_reach_vs_unpruned', op: '<=', bound: 0.5 }] : [{ metric: 'best_at_equal_gpu_vs_unpruned', op: '>=', bound: 1 }];
      results.push({
        name: 'pruning',
        params: { rank_corr: rankCorrelation, prune: mode, rungs: settings.rungs.join(',') || '-', workers: WORKERS, trials: TRIALS, epochs: EPOCHS, seeds: seeds.length },
        metrics,
        targets,
        notes: [NOTE],
      });
    }
  }
  await Promise.resolve();
  return results;
}
