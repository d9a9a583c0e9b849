import { median } from '../harness/stats.js';
import type { CampaignOutcome } from './campaign-simulation.js';

/** The campaign's best once `gpu` GPU time was spent (its final best if it ended sooner); -∞ before its first result. */
export function bestAt(outcome: CampaignOutcome, gpu: number): number {
  let best = Number.NEGATIVE_INFINITY;
  for (const point of outcome.trace) {
    if (point.gpu > gpu) break;
    best = point.best;
  }
  return best;
}

/** How many full trials the campaign recorded until its best reached `target`; +∞ if it never did. */
export function fullTrialsToReach(outcome: CampaignOutcome, target: number): number {
  const at = outcome.trace.findIndex((point) => point.best >= target);
  return at < 0 ? Number.POSITIVE_INFINITY : at + 1;
}

/** The least GPU time by which the median over the campaigns of their best so far reaches `target`; NaN if it never does. */
export function gpuToReach(outcomes: readonly CampaignOutcome[], target: number): number {
  const times = [...new Set(outcomes.flatMap((outcome) => outcome.trace.map((point) => point.gpu)))].sort((a, b) => a - b);
  for (const gpu of times) if (median(outcomes.map((outcome) => bestAt(outcome, gpu))) >= target) return gpu;
  return Number.NaN;
}
