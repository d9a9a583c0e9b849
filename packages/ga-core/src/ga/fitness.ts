import { GaInputError } from '../ga-input-error.js';
import type { Metrics } from '../metrics.js';

export type FitnessWeights = readonly [number, number, number, number];

/** YOLOv5's weights over [precision, recall, mAP@0.5, mAP@0.5:0.95]. */
export const DEFAULT_FITNESS_WEIGHTS: FitnessWeights = Object.freeze([0, 0, 0.1, 0.9] as const);

/**
 * Σ wᵢ·mᵢ over the first four metrics. A metric with weight 0 is ignored even when it is NaN
 * (a recall of `nan` should not poison a fitness that does not use recall); a NaN metric with
 * a non-zero weight makes the fitness NaN, which callers record as a failed trial — never 0.
 */
export function fitness(metrics: Metrics, weights: FitnessWeights = DEFAULT_FITNESS_WEIGHTS): number {
  let sum = 0;
  for (let i = 0; i < 4; i++) {
    const w = weights[i] ?? Number.NaN;
    if (!Number.isFinite(w)) {
      throw new GaInputError(
        `fitness weight ${i} must be a finite number, got ${String(w)}; expected 4 weights over [P, R, mAP@0.5, mAP@0.5:0.95], e.g. [0, 0, 0.1, 0.9]`,
        { where: 'fitness weights' },
      );
    }
    if (w !== 0) sum += w * (metrics[i] ?? Number.NaN);
  }
  return sum;
}
