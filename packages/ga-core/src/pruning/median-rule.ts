import { DEFAULT_PRUNE_ETA } from './prune-settings.js';
import { rungRule } from './rung-rule.js';

/** The median of `values` (not empty): the middle one, or the mean of the middle two. */
function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  const upper = sorted[middle] ?? Number.NaN;
  return sorted.length % 2 === 1 ? upper : ((sorted[middle - 1] ?? upper) + upper) / 2;
}

/** Optuna's MedianPruner rule: go on only at or above the median of the others at the rung. */
export const medianRule = rungRule({
  name: 'median',
  summary: 'stop a run below the median of the last 16 runs at a rung (rungs from the epoch count)',
  defaults: { rungs: 'epoch-count', eta: DEFAULT_PRUNE_ETA, window: 16 },
  cut: (_own, peers) => median(peers),
  describeCut: () => null,
});
