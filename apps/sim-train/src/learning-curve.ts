/**
 * Learning curves whose early epochs predict the final result only partly, as real training
 * does: two runs can swap places after the first epochs, and how often they do is set by one
 * number, the rank correlation between the fitness at the first rung and the final fitness.
 *
 * Shape, for a run of E epochs with final quality q_E (the landscape's, with its noise):
 * - q_e = p(e) · (q_E + s · w(e) · d) after e epochs, clamped to [0, 1], where
 *   p(e) = (1 − exp(−3e/E)) / (1 − exp(−3)) is the saturating climb every run shares (it
 *   scales all runs alike, so it changes no ranks), d ~ N(0, 1) is the run's own early luck,
 *   seeded by (seed, run name), and w(e) = min(1, (E − e)/(E − r)) fades that luck from full at
 *   the first rung r to none at the last epoch, where q_e is q_E exactly.
 * - s sets the correlation. For final qualities spread like {@link CURVE_REFERENCE_SPREAD}
 *   (σ), q_r ∝ q_E + s·d has Pearson correlation σ/√(σ² + s²) with q_E; a Gaussian pair with
 *   Pearson r has Spearman ρ = (6/π)·asin(r/2). So s = σ·√(1/r² − 1) with r = 2·sin(πρ/6).
 * - The luck is shared by all epochs of a run and fades, so a pair of curves crosses at most
 *   once, and later rungs predict the end better than the first.
 *
 * The correlation holds for populations whose final quality is spread like the reference; a
 * population that has converged further (a narrower spread) sees a lower one, as a converged
 * population of real runs is harder to tell apart after one epoch too.
 */
import { seededGaussian } from './seeded-random.js';

/**
 * Standard deviation of the final quality across the trials the rank correlation refers to:
 * about what 100 consecutive trials of a 300-trial campaign on this landscape show (0.03–0.05
 * measured over seeds; the first mutations of the base hyp spread 0.017, a whole campaign 0.05–0.08).
 */
export const CURVE_REFERENCE_SPREAD = 0.04;

/** The run's shape: how many epochs, and how well its first rung predicts its end. */
export interface CurveShape {
  readonly epochs: number;
  /** Spearman correlation between the fitness after `firstRung` epochs and the final one, in (0, 1]. */
  readonly rankCorrelation: number;
  /** Epochs done at the first rung, where `rankCorrelation` holds. */
  readonly firstRung: number;
}

/** The scale s of a run's early luck for a rank correlation ρ (0 at ρ = 1). */
function luckScale(rankCorrelation: number): number {
  const pearson = 2 * Math.sin((Math.PI * rankCorrelation) / 6);
  return CURVE_REFERENCE_SPREAD * Math.sqrt(Math.max(0, 1 / (pearson * pearson) - 1));
}

/** The saturating climb shared by every run: 0 before training, 1 after the last epoch. */
function climb(epochsDone: number, epochs: number): number {
  return (1 - Math.exp((-3 * epochsDone) / epochs)) / (1 - Math.exp(-3));
}

/**
 * The quality of a run after `epochsDone` epochs (1…E) that ends at `finalQuality`; `luck` is
 * its standard normal draw ({@link runLuck}).
 */
export function qualityAfter(shape: CurveShape, finalQuality: number, luck: number, epochsDone: number): number {
  const { epochs, firstRung } = shape;
  const fade = epochs > firstRung ? Math.min(1, Math.max(0, (epochs - epochsDone) / (epochs - firstRung))) : 0;
  const early = finalQuality + luckScale(shape.rankCorrelation) * fade * luck;
  return Math.min(1, Math.max(0, climb(epochsDone, epochs) * early));
}

/** A run's early luck: a standard normal draw fixed by (seed, run name). */
export function runLuck(seed: number, runName: string): number {
  return seededGaussian(seed, `curve\u0000${runName}`);
}
