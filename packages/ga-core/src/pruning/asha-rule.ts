import type { PruneRule } from './prune-rule.js';
import { DEFAULT_PRUNE_ETA, type PruneSettings } from './prune-settings.js';
import { rungRule } from './rung-rule.js';

/**
 * Asynchronous successive halving (ASHA): of the n trials at a rung, this one included, only
 * the top max(1, ⌊n/η⌋) go on. Asynchronous, as in Ray Tune's AsyncHyperBand: a trial is judged
 * against the trials that reached the rung before it, never waits for a full bracket.
 */
const ashaCut: PruneRule['cut'] = (own, peers, settings) => {
  const all = [own, ...peers].sort((a, b) => b - a);
  const keep = Math.max(1, Math.floor(all.length / settings.eta));
  return all[keep - 1] ?? Number.NaN;
};
const keepsTop = (settings: PruneSettings): string => `keeping the top 1/${settings.eta}`;

export const ashaRule = rungRule({
  name: 'asha',
  summary: 'keep the top 1/3 of the last 16 runs at each rung (rungs from the epoch count, eta 3)',
  defaults: { rungs: 'epoch-count', eta: DEFAULT_PRUNE_ETA, window: 16 },
  cut: ashaCut,
  describeCut: keepsTop,
});

/** ASHA at one early rung with a harder cut, for trainers whose first epoch predicts the end. */
export const fastRule = rungRule({
  name: 'fast',
  summary: 'one rung after the first epoch: keep the top 1/6 of the last 32 runs there (for trainers whose first epoch predicts the end)',
  defaults: { rungs: [1], eta: 6, window: 32 },
  cut: ashaCut,
  describeCut: keepsTop,
});
