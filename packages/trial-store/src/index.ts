/**
 * @hyperevolve/trial-store — the one reader and writer of trial hashes, shared by the scheduler
 * (issue, record, fail, views) and the workers (start). Fields and their owners: contract's
 * TRIAL_FIELDS.
 *
 * @example
 * ```ts
 * import { TrialStore } from '@hyperevolve/trial-store';
 *
 * const trials = new TrialStore(redis, prefix);
 * const started = await trials.start('exp', 7, { attempt: 1, runName: '7-1', worker, device: '0', startedAt: Date.now(), trialDir, logPath, command });
 * const [hyp] = await trials.readHyps('exp', [7]);
 * ```
 */
export { TrialStore } from './trial-store.js';
export type { IssueItem, IssueOutcome } from './issue-trials.js';
export type { RunStart, RunStartOf, StartOutcome, UnstartedRun } from './start-run.js';
export type { EpochOutcome, RungEntry } from './record-epoch.js';
export type { WarnOutcome } from './warn-run.js';
export type { TrialWarnings } from './read-warnings.js';
export type { TrialProgress } from './read-progress.js';
export type { RecordInput, RecordOutcome, RecordReply } from './record-result.js';
export { recordOfResult } from './result-record.js';
export type { ImportedTrial } from './import-trial.js';
export type { RecordedRow } from './read-evolve-rows.js';
export type { TrialPoint } from './read-points.js';
export type { TrialRow } from './read-rows.js';
export type { TrialRunName } from './read-run-names.js';
export type { TrialFailureRecord } from './read-failures.js';
export { failureView } from './read-failures.js';
export type { PrunedTrial } from './read-pruned.js';
export type { NotedFailure } from './note-failure.js';
export { SAME_FAILURES_TO_PAUSE } from './note-failure.js';
