import type { ChainableCommander } from 'ioredis';
import { campaignKeys, type CampaignKeys, type EpochEntry, type TrialRecord, type TrialStatus } from '@hyperevolve/contract';
import type { Hyp, RungArrival } from '@hyperevolve/ga-core';
import type { RedisClient } from '@hyperevolve/runtime';
import { failTrial } from './fail-trial.js';
import { queueImportedTrial, type ImportedTrial } from './import-trial.js';
import { issueTrialScript, issueTrials, type IssueItem, type IssueOutcome } from './issue-trials.js';
import { readCurve } from './read-curve.js';
import { readEvolveRows, type RecordedRow } from './read-evolve-rows.js';
import { readFailures, type TrialFailureRecord } from './read-failures.js';
import { readDurations } from './read-durations.js';
import { readFinishTimes } from './read-finish-times.js';
import { readHyps } from './read-hyps.js';
import { readOrigins } from './read-origins.js';
import { readRequeued, type RequeuedTrial } from './read-queued.js';
import { readLogLocation } from './read-log-location.js';
import { readPoints, type TrialPoint } from './read-points.js';
import { readProgress, type TrialProgress } from './read-progress.js';
import { readPruned, type PrunedTrial } from './read-pruned.js';
import { readRungArrivals } from './read-rung-arrivals.js';
import { readRows, type TrialRow } from './read-rows.js';
import { readRunNames, type TrialRunName } from './read-run-names.js';
import { readStatuses } from './read-statuses.js';
import { readTrial } from './read-trial.js';
import { readWarnings, type TrialWarnings } from './read-warnings.js';
import { queueFields } from './trial-fields.js';
import { recordEpoch, recordEpochScript, type EpochOutcome, type RungEntry } from './record-epoch.js';
import { noteFailure, noteFailureScript, type NotedFailure } from './note-failure.js';
import { recordResult, recordResultScript, type RecordInput, type RecordReply } from './record-result.js';
import { startRun, startTrialScript, type RunStart, type StartOutcome } from './start-run.js';
import { warnRun, warnRunScript, type WarnOutcome } from './warn-run.js';

/**
 * Every read and write of a trial hash, one operation per file; components get a TrialStore,
 * not a client, and never name a field. What each field is, who writes it and when:
 * contract's TRIAL_FIELDS. A damaged field is a CorruptStateError naming the key and the fix.
 *
 * Writes follow the trial's life: issue (breeder) → start (a worker, once per run) → epoch
 * (that worker, after each epoch its trainer finishes; warn, when its trainer goes past a limit) → record
 * (the recorder, a run's outcome) or fail (the reconciler); import writes a finished trial.
 */
export class TrialStore {
  readonly #redis: RedisClient;
  readonly #prefix: string;

  constructor(redis: RedisClient, prefix: string) {
    this.#redis = redis;
    this.#prefix = prefix;
    for (const script of [issueTrialScript, startTrialScript, recordResultScript, noteFailureScript, recordEpochScript, warnRunScript]) script.define(redis);
  }

  get prefix(): string {
    return this.#prefix;
  }

  #keys(campaign: string): CampaignKeys {
    return campaignKeys(this.#prefix, campaign);
  }

  /** Issues bred candidates as trials (in order; the first refusal stops the rest). */
  async issue(campaign: string, items: readonly IssueItem[]): Promise<IssueOutcome[]> {
    return issueTrials(this.#redis, this.#keys(campaign), items);
  }

  /**
   * A worker starts a run: the trial becomes running with the run's fields. `gate`: only while
   * the campaign is running (its status read in the same script, not in a round trip before).
   */
  async start(campaign: string, index: number, run: RunStart, options: { gate?: boolean } = {}): Promise<StartOutcome> {
    return startRun(this.#redis, this.#keys(campaign), index, run, options.gate === true);
  }

  /** The running run's worker records an epoch its trainer finished (ignored unless that run still holds the trial). */
  async recordEpoch(campaign: string, index: number, entry: EpochEntry, rung?: RungEntry): Promise<EpochOutcome> {
    return recordEpoch(this.#redis, this.#keys(campaign), index, entry, rung);
  }

  /** The running run's worker notes that its trainer went past a limit (ignored unless that run still holds the trial; bounded). */
  async warnRun(campaign: string, index: number, runName: string, what: string): Promise<WarnOutcome> {
    return warnRun(this.#redis, this.#keys(campaign), index, runName, what);
  }

  /** The campaign's trials with warnings: how many, and the `last` by index, newest first. */
  async readWarnings(campaign: string, last: number): Promise<{ trials: number; recent: TrialWarnings[] }> {
    return readWarnings(this.#redis, this.#keys(campaign), last);
  }

  /** A rung's entries as stored (its log with a window, else every trial that reached it): what a pruning decision reads. */
  async readRungArrivals(campaign: string, rung: number, window: number | null): Promise<RungArrival[]> {
    return readRungArrivals(this.#redis, this.#keys(campaign), rung, window);
  }

  /** The campaign's pruned trials, in the order they were pruned: all, or the `last` ones. */
  async readPruned(campaign: string, last?: number): Promise<PrunedTrial[]> {
    return readPruned(this.#redis, this.#keys(campaign), last);
  }

  /** Each trial's run time (ms); null for an imported trial or one without a result. */
  async readDurations(campaign: string, indices: readonly number[]): Promise<(number | null)[]> {
    return readDurations(this.#redis, this.#keys(campaign), indices);
  }

  /** Records a run's result. */
  async record(campaign: string, index: number, input: RecordInput): Promise<RecordReply> {
    return recordResult(this.#redis, this.#keys(campaign), index, input);
  }

  /**
   * After record recorded a failure (a trial's or one attempt's): its signature on the campaign,
   * whose streak of trials failing the same way pauses the campaign. A separate step from
   * record, which the circuit breaker of failures of any kind lives in.
   */
  async noteFailure(failure: NotedFailure): Promise<{ same: number; campaignStatus: string }> {
    return noteFailure(this.#redis, this.#keys(failure.campaign), failure);
  }

  /** Records a trial as failed without a run's result (`interrupted: <reason>`). */
  async fail(campaign: string, index: number, reason: string, maxConsecutiveFailures: number): Promise<RecordReply> {
    return failTrial(this.#redis, this.#keys(campaign), index, reason, maxConsecutiveFailures);
  }

  /** Queues writing a whole trial record as it is (benchmarks load populations from a real one). */
  queueCopy(multi: ChainableCommander, campaign: string, index: number, record: TrialRecord): void {
    queueFields(multi, this.#keys(campaign).trial(index), record);
  }

  /** Queues an imported trial on the MULTI that creates its campaign. */
  queueImported(multi: ChainableCommander, campaign: string, trial: ImportedTrial): void {
    queueImportedTrial(multi, this.#keys(campaign), trial);
  }

  async readTrial(campaign: string, index: number): Promise<TrialRecord | null> {
    return readTrial(this.#redis, this.#keys(campaign), index);
  }

  /** Trials to queue again (resume, a job lost in a crash): hyps and origin; a missing or damaged hyp is a CorruptStateError. */
  async readRequeued(campaign: string, indices: readonly number[]): Promise<RequeuedTrial[]> {
    return readRequeued(this.#redis, this.#keys(campaign), indices);
  }

  /** Each trial's origin and error (null where it has none). */
  async readOrigins(campaign: string, indices: readonly number[]): Promise<{ origin: TrialRecord['origin'] | null; error: string | null }[]> {
    return readOrigins(this.#redis, this.#keys(campaign), indices);
  }

  async readHyps(campaign: string, indices: readonly number[]): Promise<Hyp[]> {
    return readHyps(this.#redis, this.#keys(campaign), indices);
  }

  async readStatuses(campaign: string, indices: readonly number[]): Promise<(TrialStatus | null)[]> {
    return readStatuses(this.#redis, this.#keys(campaign), indices);
  }

  /** Of each trial: its status and its latest run's name (a worker pruning run directories). */
  async readRunNames(campaign: string, indices: readonly number[]): Promise<TrialRunName[]> {
    return readRunNames(this.#redis, this.#keys(campaign), indices);
  }

  async readEvolveRows(campaign: string, indices: readonly number[]): Promise<RecordedRow[]> {
    return readEvolveRows(this.#redis, this.#keys(campaign), indices);
  }

  async readPoints(campaign: string, indices: readonly number[]): Promise<TrialPoint[]> {
    return readPoints(this.#redis, this.#keys(campaign), indices);
  }

  /** The dashboard's trials table: each trial's row, null where there is no trial. */
  async readRows(campaign: string, indices: readonly number[]): Promise<(TrialRow | null)[]> {
    return readRows(this.#redis, this.#keys(campaign), indices);
  }

  async readFinishTimes(campaign: string, indices: readonly number[]): Promise<(number | null)[]> {
    return readFinishTimes(this.#redis, this.#keys(campaign), indices);
  }

  async readFailures(campaign: string, indices: readonly number[]): Promise<TrialFailureRecord[]> {
    return readFailures(this.#redis, this.#keys(campaign), indices);
  }

  /** Each trial's latest epoch of its current run. */
  async readProgress(campaign: string, indices: readonly number[]): Promise<TrialProgress[]> {
    return readProgress(this.#redis, this.#keys(campaign), indices);
  }

  /** The trial's learning curve: each recorded epoch of each of its runs, oldest first. */
  async readCurve(campaign: string, index: number): Promise<EpochEntry[]> {
    return readCurve(this.#redis, this.#keys(campaign), index);
  }

  async readLogLocation(campaign: string, index: number): Promise<{ logPath: string; host: string | null } | null> {
    return readLogLocation(this.#redis, this.#keys(campaign), index);
  }
}
