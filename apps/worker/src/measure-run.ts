import type { MeasuredRun, TrainerProfile } from '@hyperevolve/ga-core';
import { classifyOutcome } from './classify-outcome.js';
import { readLogTail } from './log-tail.js';
import { checkFitnessMetrics } from './metrics-check.js';
import { readRunResults } from './run-results.js';
import type { TrainerOutcome } from './trainer-outcome.js';
import { TrialFailure } from './trial-failure.js';

export interface MeasureSpec {
  readonly profile: TrainerProfile;
  readonly resultsPath: string;
  /** The run's directory: the results file lies in it. */
  readonly trialDir: string;
  /** argv[0] of the trainer, for spawn errors. */
  readonly program: string;
  readonly logPath: string;
  readonly host: string;
}

/** Metrics of a run that ended by itself, or why it failed (a failure names the last lines of its log). */
export async function measureRun(outcome: Exclude<TrainerOutcome, { kind: 'pruned' }>, spec: MeasureSpec): Promise<MeasuredRun | TrialFailure> {
  const failure = classifyOutcome(outcome, { program: spec.program, host: spec.host });
  if (failure !== undefined) {
    if (failure.kind === 'spawn-error') return failure;
    const tail = await readLogTail(spec.logPath);
    return tail === '' ? failure : new TrialFailure(failure.kind, `${failure.message}; last lines of ${spec.logPath}:\n${tail}`, { logTail: tail });
  }
  let measured: MeasuredRun;
  try {
    measured = await readRunResults(spec.profile, spec.resultsPath, spec.trialDir);
  } catch (error) {
    // The log's end tells one missing results file from another (the signature is made of it).
    const logTail = await readLogTail(spec.logPath);
    if (error instanceof TrialFailure) return new TrialFailure(error.kind, error.message, { cause: error.cause, logTail });
    return new TrialFailure('results-missing', `could not read the run's metrics: ${error instanceof Error ? error.message : String(error)}`, { cause: error, logTail });
  }
  return (measured.metrics === null ? undefined : checkFitnessMetrics(spec.profile, measured.metrics, spec.resultsPath)) ?? measured;
}
