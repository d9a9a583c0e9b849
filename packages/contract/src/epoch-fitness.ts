import { fitness, type FitnessWeights } from '@hyperevolve/ga-core';
import { metricsFromWire, type MetricsWire } from './metrics-wire.js';

/** An epoch as the worker read it or the trial store keeps it: the trainer's own fitness, or metrics. */
export interface EpochMeasure {
  readonly fitness?: number | null | undefined;
  readonly metrics?: MetricsWire | null | undefined;
}

/**
 * The fitness after one epoch: the trainer's own, else the campaign's weights over the trainer
 * profile's fitness metrics (as the recorder computes a run's). NaN when the epoch was not
 * validated or its metrics are nan. The worker computes it once per epoch and stores it with the
 * epoch, where the rungs, `status` and the dashboard's curves read it (a stored fitness is
 * returned as it is; only epochs recorded by older workers are weighed here again).
 */
export function epochFitness(epoch: EpochMeasure, weights: FitnessWeights, fitnessMetrics: readonly string[]): number {
  if (epoch.fitness !== undefined && epoch.fitness !== null) return epoch.fitness;
  if (epoch.metrics === undefined || epoch.metrics === null) return Number.NaN;
  try {
    return fitness(metricsFromWire(epoch.metrics), weights, fitnessMetrics);
  } catch {
    return Number.NaN;
  }
}
