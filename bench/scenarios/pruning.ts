import { NO_PRUNING, configurePruning, type PruneMode, type PruneSettings } from '@hyperevolve/ga-core';
import { median, spearman } from '../harness/stats.js';
import type { BenchContext, ScenarioResult, Target } from '../harness/scenario.js';
import { simulateCampaign, type CampaignOutcome, type SimulatedCampaign } from '../support/campaign-simulation.js';
import { bestAt, fullTrialsToReach, gpuToReach } from '../support/campaign-trace.js';
import { SIMULATION } from '../support/simulation-setup.js';

const { trials: TRIALS, workers: WORKERS, epochs: EPOCHS, noise: NOISE, lookahead: LOOKAHEAD, correlations: CORRELATIONS } = SIMULATION;
/** GPU time a run spends before its first epoch, in epochs: none, and one (real trainers spend ~6–10 s importing and building). */
const START_COSTS = [0, 1] as const;
/**
 * The presets' windows and η were chosen on `chosen`; `held-out` is a second set they were never
 * looked at on, to show they were not fitted to the first.
 */
const SEED_SETS = { chosen: 1, 'held-out': 1001 } as const;

interface Arm {
  readonly label: string;
  readonly settings: PruneSettings;
  /** Whether the targets apply (the shipped presets), or it is shown for comparison. */
  readonly targeted: boolean;
}

const preset = (mode: PruneMode): Arm => ({ label: mode, settings: configurePruning({ name: mode, params: {} }, EPOCHS), targeted: mode !== 'none' });
/** Before windows: asha judged against every run that ever reached the rung (`--prune-window all`, and every older campaign). */
const ASHA_ALL: Arm = { label: 'asha --prune-window all', settings: configurePruning({ name: 'asha', params: { window: 'all' } }, EPOCHS), targeted: false };
const ARMS: readonly Arm[] = [preset('none'), preset('median'), preset('asha'), preset('fast'), ASHA_ALL];

const NOTE =
  "pruning: the scheduling simulated with ga-core directly (no Redis, no processes, no waiting): the quality scenario's " +
  `discrete-event simulation with each run's ${EPOCHS} epochs as events, after start_cost epochs of GPU time spent before the first; at each ` +
  "rung ga-core's decideAtRung judges the run against the runs stored at that rung before it (the last `window` of them for the windowed modes); " +
  "a run's fitness after each epoch follows sim-train's learning curve at the given rank correlation between the first rung and the end; " +
  `pruned runs are never parents and do not count toward the ${TRIALS}. GPU time = sum of run time (start cost included), in mean trial durations. ` +
  "gpu_to_reach = GPU time by which the median campaign (over the set's seeds) has reached the unpruned campaigns' median best (same set, same start cost); " +
  "best_at_equal_gpu = median best once the unpruned campaigns' median GPU time is spent; full_trials_to_reach = full trials each campaign recorded " +
  'until its best reached that median best (median over seeds). Seeds: chosen = 1…N (the presets were chosen on them), held-out = 1001…1000+N. ' +
  'Targets (issue 19), for median, asha and fast: gpu_to_reach_vs_unpruned ≤ 0.5 at rank correlation 0.9 without a start cost, ≤ 0.6 with one, ≤ 0.75 at 0.6; ' +
  'best_at_equal_gpu_vs_unpruned ≥ 1 everywhere.';

/** The targets for one arm at one rank correlation and start cost. */
function targetsOf(arm: Arm, rankCorrelation: number, startCost: number): Target[] {
  if (!arm.targeted) return [];
  const reach = rankCorrelation >= 0.9 ? (startCost === 0 ? 0.5 : 0.6) : 0.75;
  return [
    { metric: 'gpu_to_reach_vs_unpruned', op: '<=', bound: reach },
    { metric: 'best_at_equal_gpu_vs_unpruned', op: '>=', bound: 1 },
  ];
}

/**
 * `--prune none|median|asha|fast` (and asha with today's unwindowed rule) on 300-full-trial
 * campaigns at W = 8, with the simulated trainer's first rung predicting its end at rank
 * correlation 0.6 and 0.9, with and without a start cost, on two seed sets.
 */
export async function pruning(context: BenchContext): Promise<ScenarioResult[]> {
  // --quick (CI): the first set only, the shipped modes only, 5 seeds.
  const count = context.quick ? 5 : 20;
  const sets = context.quick ? { chosen: SEED_SETS.chosen } : SEED_SETS;
  const arms = context.quick ? ARMS.filter((arm) => arm !== ASHA_ALL) : ARMS;
  const results: ScenarioResult[] = [];
  for (const [set, first] of Object.entries(sets)) {
    const seeds = Array.from({ length: count }, (_, i) => first + i);
    for (const startCost of START_COSTS) {
      for (const rankCorrelation of CORRELATIONS) {
        context.progress(`pruning: ${set} seeds, start cost ${startCost}, rank correlation ${rankCorrelation}: ${arms.length} modes × ${seeds.length} seeds × ${TRIALS} full trials`);
        const campaign = (settings: PruneSettings, seed: number): SimulatedCampaign =>
          ({ workers: WORKERS, trials: TRIALS, seed, strategy: 'single', lookahead: LOOKAHEAD, noise: NOISE, epochs: EPOCHS, rankCorrelation, startCost, pruning: settings });
        const unpruned = seeds.map((seed) => simulateCampaign(campaign(NO_PRUNING, seed)));
        const reference = referenceOf(unpruned);
        for (const arm of arms) {
          const outcomes = arm.settings.mode === 'none' ? unpruned : seeds.map((seed) => simulateCampaign(campaign(arm.settings, seed)));
          results.push({
            name: 'pruning',
            params: {
              seeds: `${set} ${seeds[0]}…${seeds.at(-1)}`,
              start_cost: startCost,
              rank_corr: rankCorrelation,
              prune: arm.label,
              rungs: arm.settings.rungs.join(',') || '-',
              eta: arm.settings.mode === 'none' ? '-' : arm.settings.eta,
              window: arm.settings.mode === 'none' ? '-' : (arm.settings.window ?? 'all'),
            },
            metrics: figures(outcomes, reference, arm.settings.mode === 'none'),
            targets: targetsOf(arm, rankCorrelation, startCost),
            notes: [NOTE, `pruning: ${WORKERS} workers, ${TRIALS} full trials, ${EPOCHS} epochs a run, noise ${NOISE}, lookahead ${LOOKAHEAD}, ${count} seeds a set`],
          });
        }
        await Promise.resolve();
      }
    }
  }
  return results;
}

interface Reference {
  readonly best: number;
  readonly gpu: number;
  readonly reach: number;
  readonly bestAtGpu: number;
}

/** The unpruned campaigns' figures every mode is measured against. */
function referenceOf(unpruned: readonly CampaignOutcome[]): Reference {
  const best = median(unpruned.map((outcome) => outcome.best));
  const gpu = median(unpruned.map((outcome) => outcome.gpu));
  return { best, gpu, reach: gpuToReach(unpruned, best), bestAtGpu: median(unpruned.map((outcome) => bestAt(outcome, gpu))) };
}

function figures(outcomes: readonly CampaignOutcome[], reference: Reference, unpruned: boolean): Record<string, number> {
  const reach = gpuToReach(outcomes, reference.best);
  const bestAtGpu = median(outcomes.map((outcome) => bestAt(outcome, reference.gpu)));
  return {
    best_median: median(outcomes.map((outcome) => outcome.best)),
    gpu_median: median(outcomes.map((outcome) => outcome.gpu)),
    gpu_to_reach_unpruned_best: reach,
    gpu_to_reach_vs_unpruned: reach / reference.reach,
    best_at_equal_gpu: bestAtGpu,
    best_at_equal_gpu_vs_unpruned: bestAtGpu / reference.bestAtGpu,
    full_trials_to_reach: median(outcomes.map((outcome) => fullTrialsToReach(outcome, reference.best))),
    pruned_share: median(outcomes.map((outcome) => outcome.pruned / outcome.issued)),
    ...(unpruned ? { rank_corr_measured: median(outcomes.map((outcome) => spearman(outcome.firstVsFinal))) } : {}),
  };
}
