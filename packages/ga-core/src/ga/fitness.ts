import { GaInputError } from '../ga-input-error.js';
import { metricValues, type MetricRecord } from '../metrics.js';

/** Weights over a trainer profile's fitness metrics, in the profile's order (YOLOv5: [P, R, mAP@0.5, mAP@0.5:0.95]). */
export type FitnessWeights = readonly number[];

/**
 * Σ wᵢ·mᵢ over `over` (a profile's fitness metrics), wᵢ = `weights[i]`. A metric with weight 0
 * is ignored even when it is NaN or missing (a recall of `nan` should not poison a fitness that
 * does not use recall); a NaN metric with a non-zero weight makes the fitness NaN, which
 * callers record as a failed trial — never 0.
 */
export function fitness(metrics: MetricRecord, weights: FitnessWeights, over: readonly string[]): number {
  if (weights.length !== over.length) {
    throw new GaInputError(
      `expected ${over.length} fitness weights over [${over.join(', ')}], got ${weights.length}`,
      { where: 'fitness weights' },
    );
  }
  const values = metricValues(metrics, over);
  let sum = 0;
  for (let i = 0; i < over.length; i++) {
    const w = weights[i] ?? Number.NaN;
    if (!Number.isFinite(w)) {
      throw new GaInputError(
        `fitness weight ${i} must be a finite number, got ${String(w)}; expected ${over.length} weights over [${over.join(', ')}]`,
        { where: 'fitness weights' },
      );
    }
    if (w !== 0) sum += w * (values[i] ?? Number.NaN);
  }
  return sum;
}
