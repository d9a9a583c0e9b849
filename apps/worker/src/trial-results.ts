import type { TrialJob, TrialResult, WorkerIdentity } from '@hyperevolve/contract';
import type { TrialFailure } from './trial-failure.js';

/** The fields of a TrialResult that one run fixes before it ends. */
export type ResultStart = Omit<TrialResult, 'final' | 'outcome' | 'metrics' | 'fitness' | 'failure' | 'finishedAt'>;

/** Where a run is, for its result: the worker's identity and the attempt it is. */
export interface RunIdentity {
  readonly trial: Pick<TrialJob, 'campaign' | 'index'>;
  readonly attempt: number;
  readonly worker: WorkerIdentity;
}

/** `started`: the run was marked on its trial (start); a run refused before that sends its run fields in its result. */
export function runStart(id: RunIdentity, run: { runName: string; trialDir: string; logPath: string; command: readonly string[]; started: boolean }): ResultStart {
  return {
    v: 1,
    campaign: id.trial.campaign,
    index: id.trial.index,
    attempt: id.attempt,
    runName: run.runName,
    worker: id.worker,
    command: [...run.command],
    trialDir: run.trialDir,
    logPath: run.logPath,
    startedAt: Date.now(),
    started: run.started,
  };
}

/** A run refused before it had a trial directory: named as its first directory would be, with no directory and no log. */
export function runWithoutDir(id: RunIdentity, command: readonly string[]): ResultStart {
  return runStart(id, { runName: `${id.trial.index}-${id.attempt}`, trialDir: '', logPath: '', command, started: false });
}

export function failedResult(start: ResultStart, failure: TrialFailure, final: boolean): TrialResult {
  return {
    ...start,
    final,
    outcome: 'failed',
    metrics: null,
    fitness: null,
    failure: { kind: failure.kind, message: failure.message, ...(failure.signature === null ? {} : { signature: failure.signature }) },
    finishedAt: Date.now(),
  };
}
