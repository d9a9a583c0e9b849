import type { CampaignKeys, FailureKind, MetricsWire, PrunedAt, RecordReply } from '@hyperevolve/contract';
import { RedisScript, type RedisClient } from '@hyperevolve/runtime';
import { circuitBreakerReason } from './circuit-breaker-reason.js';
import { runFields, type UnstartedRun } from './start-run.js';
import { fieldPairs } from './trial-fields.js';

export type { RecordReply } from '@hyperevolve/contract';

export const recordResultScript = new RedisScript({
  name: 'recordResult',
  file: new URL('./record-result-8.lua', import.meta.url),
  keys: 8,
  codes: ['Done', 'Noted', 'Missing', 'AlreadyFinal', 'Surplus', 'NotHolder', 'Unserved'],
});

export type RecordOutcome = 'succeeded' | 'failed' | 'pruned' | 'attempt-failed';

/** One run's result, as the recorder records it. */
export interface RecordInput {
  outcome: RecordOutcome;
  /** The trial's fitness; ignored unless it succeeded. */
  fitness: number;
  /** Consecutive failed trials that pause the campaign. */
  maxConsecutiveFailures: number;
  /** Names the run, so an attempt failure delivered twice is counted once. */
  runName: string;
  /**
   * The run's fields, only for a run that never started (refused before start-trial marked it:
   * a command the worker does not allow, a bad payload, no trial directory). A run that started
   * wrote them itself, and they are written once.
   */
  unstartedRun: UnstartedRun | null;
  endedAt: number;
  /** The run's start, for its duration. */
  startedAt: number;
  metrics: MetricsWire | null;
  failure: { kind: FailureKind; message: string; signature?: string | undefined } | null;
  /** Outcome `pruned`: where it stopped and why. */
  pruned?: PrunedAt | null;
  /** A worker's own run: only while a scheduler serves the campaign (else `unserved`) and the run still holds the trial (else `not-holder`); nothing changes otherwise. */
  whileServed?: boolean;
}

const CODES = {
  Done: 'recorded',
  Noted: 'attempt-noted',
  AlreadyFinal: 'already-final',
  Missing: 'unknown-trial',
  Surplus: 'surplus',
  NotHolder: 'not-holder',
  Unserved: 'unserved',
} as const satisfies Record<(typeof recordResultScript.codes)[number], RecordReply['code']>;

/** record-result-8.lua: the run's outcome fields, and for a final outcome the trial, the population, the best and the counters in one step. */
export async function recordResult(redis: RedisClient, keys: CampaignKeys, index: number, input: RecordInput): Promise<RecordReply> {
  const fields = fieldPairs({
    ...(input.unstartedRun === null ? {} : runFields(input.unstartedRun)),
    runEndedAt: input.endedAt,
    durationMs: input.endedAt - input.startedAt,
    ...(input.metrics === null ? {} : { metrics: input.metrics }),
    ...(input.failure === null ? {} : { error: `${input.failure.kind}: ${input.failure.message}`, errorKind: input.failure.kind }),
    ...(input.pruned == null ? {} : { prunedRung: input.pruned.rung, prunedFitness: input.pruned.fitness, pruneCut: input.pruned.cut }),
  });
  return runRecordScript(redis, keys, index, input.outcome, input.fitness, input.maxConsecutiveFailures, input.runName, input.failure?.kind ?? null, fields, input.whileServed === true);
}

/** The script's call and reply, shared with failTrial (a final failure without a run). */
export async function runRecordScript(
  redis: RedisClient,
  keys: CampaignKeys,
  index: number,
  outcome: RecordOutcome,
  fitness: number,
  maxConsecutiveFailures: number,
  runName: string,
  /** The failure's kind, for the advice in the pause reason should this failure trip the circuit breaker. */
  failureKind: FailureKind | null,
  fields: readonly string[],
  whileServed = false,
): Promise<RecordReply> {
  const { code, values } = await recordResultScript.run(
    redis,
    [keys.state, keys.trial(index), keys.population, keys.rows, keys.inflight, keys.failures, keys.pruned, keys.served],
    [
      index,
      outcome,
      Number.isFinite(fitness) ? String(fitness) : '0',
      Date.now(),
      maxConsecutiveFailures,
      runName,
      circuitBreakerReason(1, failureKind),
      circuitBreakerReason('{n}', failureKind),
      whileServed ? 'served' : 'any',
      ...fields,
    ],
  );
  const [recorded, bestChanged, campaignStatus] = values;
  return { code: CODES[code], recorded: Number(recorded), bestChanged: Number(bestChanged) === 1, campaignStatus: String(campaignStatus) };
}
