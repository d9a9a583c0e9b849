import type { MetricRecord, TrainerProfile } from '@hyperevolve/ga-core';
import { TrialFailure } from './trial-failure.js';

/** A run whose fitness metrics (the profile's) are NaN failed: never fitness 0, never a parent. */
export function checkFitnessMetrics(profile: TrainerProfile, metrics: MetricRecord, source: string): TrialFailure | undefined {
  const nan = profile.fitnessMetrics.filter((name) => !Object.hasOwn(metrics, name) || Number.isNaN(metrics[name]));
  if (nan.length === 0) return undefined;
  return new TrialFailure('metrics-nan', `${source} has nan for ${nan.join(', ')}; the run diverged or validated nothing (check the learning rates and the dataset labels in train.log)`);
}
