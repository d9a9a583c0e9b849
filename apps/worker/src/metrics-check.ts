import type { z } from 'zod';
import type { MetricsWireSchema } from '@hyperevolve/contract';
import { METRIC_NAMES, type Metrics } from '@hyperevolve/ga-core';
import { TrialFailure } from './trial-failure.js';

/** Precision, recall, mAP@0.5, mAP@0.5:0.95: the metrics fitness is made of. */
const FITNESS_METRICS = 4;

/** A run whose fitness metrics are NaN failed (never fitness 0, never a parent). */
export function checkFitnessMetrics(metrics: Metrics, source: string): TrialFailure | undefined {
  const nan = METRIC_NAMES.slice(0, FITNESS_METRICS).filter((_, i) => Number.isNaN(metrics[i]));
  if (nan.length === 0) return undefined;
  return new TrialFailure('metrics-nan', `${source} has nan for ${nan.join(', ')}; the run diverged or validated nothing (check the learning rates and the dataset labels in train.log)`);
}

/** JSON has no NaN: the wire form carries null. */
export function metricsToWire(metrics: Metrics): MetricsWire {
  const [p, r, map50, map, box, obj, cls] = metrics.map((value) => (Number.isFinite(value) ? value : null));
  return [p ?? null, r ?? null, map50 ?? null, map ?? null, box ?? null, obj ?? null, cls ?? null];
}

export type MetricsWire = z.infer<typeof MetricsWireSchema>;
