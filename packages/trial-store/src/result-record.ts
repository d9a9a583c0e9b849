import { epochFitness, type TrialResult } from '@hyperevolve/contract';
import type { FitnessWeights } from '@hyperevolve/ga-core';
import type { RecordInput } from './record-result.js';

/**
 * A run's result as record-result takes it: a failure is final or one attempt's, a succeeded
 * run is weighed (its trainer's own fitness, else the campaign's weights over the profile's
 * fitness metrics), and one without a finite fitness is a failed trial (`metrics-nan`). One
 * rule for the scheduler's recorder and for a worker that records its own runs.
 */
export function recordOfResult(result: TrialResult, weights: FitnessWeights, fitnessMetrics: readonly string[], maxConsecutiveFailures: number): RecordInput {
  let outcome: RecordInput['outcome'] = result.outcome === 'succeeded' || result.outcome === 'pruned' ? result.outcome : result.final ? 'failed' : 'attempt-failed';
  let failure: RecordInput['failure'] = result.failure;
  let fitness = Number.NaN;
  if (outcome === 'succeeded') {
    fitness = epochFitness(result, weights, fitnessMetrics);
    if (!Number.isFinite(fitness)) {
      outcome = 'failed';
      failure = { kind: 'metrics-nan', message: 'the weighted metrics are NaN or missing, so the trial has no fitness' };
    }
  }
  // A run that started wrote its run fields then; only a run refused before it started has them here.
  const unstartedRun = result.started === false
    ? { attempt: result.attempt, runName: result.runName, worker: result.worker, device: result.worker.device, startedAt: result.startedAt, trialDir: result.trialDir, logPath: result.logPath, command: result.command }
    : null;
  return {
    outcome,
    fitness,
    maxConsecutiveFailures,
    runName: result.runName,
    unstartedRun,
    startedAt: result.startedAt,
    endedAt: result.finishedAt,
    metrics: result.metrics,
    failure,
    pruned: result.pruned ?? null,
  };
}
