import type { Queue } from 'bullmq';
import { describeZodError, resultJobId, TrialResultSchema, type TrialJob, type TrialResult, type WorkerRecord } from '@hyperevolve/contract';
import { trainerProfile, type FitnessWeights } from '@hyperevolve/ga-core';
import type { UnsavedWrites } from '@hyperevolve/runtime';
import { recordOfResult, type TrialStore } from '@hyperevolve/trial-store';

/** What of its job a run's report needs: whether it may record, and how to weigh the run (no weights: it may not). */
export type ReportedJob = Pick<TrialJob, 'workerRecords' | 'adapter'> & { readonly fitnessWeights?: FitnessWeights | null | undefined };

/**
 * Reports each run's TrialResult. A succeeded or pruned run of a job that says so
 * (`workerRecords`) is recorded here, with the script the scheduler's recorder uses, before its
 * job completes, while a scheduler serves its campaign (its `served` mark): the job's return
 * value then tells that scheduler. Every other result is posted
 * to the results queue, with one job id per run (campaign, index, run name), so posting the same
 * run twice adds one job; either way a trial is recorded once.
 */
export class ResultReporter {
  readonly #queue: Queue;
  readonly #trials: TrialStore;
  readonly #unsaved: UnsavedWrites | undefined;

  constructor(queue: Queue, trials: TrialStore, unsaved?: UnsavedWrites) {
    this.#queue = queue;
    this.#trials = trials;
    this.#unsaved = unsaved;
  }

  async post(result: TrialResult): Promise<void> {
    await this.#add(checked(result));
  }

  /** Records a succeeded or pruned run where its job allows it (what was recorded), else posts the result (null). */
  async report(result: TrialResult, job: ReportedJob): Promise<WorkerRecord | null> {
    const { fitnessWeights } = job;
    const valid = checked(result);
    if (job.workerRecords !== true || fitnessWeights == null || (valid.outcome !== 'succeeded' && valid.outcome !== 'pruned')) {
      await this.#add(valid);
      return null;
    }
    // The worker records no failure, so the circuit breaker's limit (the last argument) is not read.
    const input = recordOfResult(valid, fitnessWeights, trainerProfile(job.adapter).fitnessMetrics, 0);
    if (input.outcome !== 'succeeded' && input.outcome !== 'pruned') {
      // No finite fitness: a failure, which the scheduler records with its failure bookkeeping.
      await this.#add(valid);
      return null;
    }
    const reply = await this.#track(result, this.#trials.record(valid.campaign, valid.index, { ...input, whileServed: true }));
    if (reply.code === 'unserved' || reply.code === 'not-holder') {
      // No scheduler serves the campaign now (the result waits on the queue for the next one),
      // or the trial went to another run meanwhile (the recorder decides, as for any late result).
      await this.#add(valid);
      return null;
    }
    return {
      campaign: valid.campaign,
      index: valid.index,
      outcome: input.outcome,
      fitness: input.outcome === 'succeeded' ? input.fitness : null,
      workerId: valid.worker.id,
      startedAt: valid.startedAt,
      finishedAt: valid.finishedAt,
      pruned: valid.pruned ?? null,
      reply,
    };
  }

  /** Posts a checked result to the results queue, one job per run (campaign, index, run name). */
  async #add(valid: TrialResult): Promise<void> {
    const added = this.#queue.add('result', valid, {
      jobId: resultJobId(valid.campaign, valid.index, valid.runName),
      removeOnComplete: true,
    });
    await this.#track(valid, added);
  }

  async #track<T>(result: TrialResult, write: Promise<T>): Promise<T> {
    const what = `the ${result.final || result.outcome === 'succeeded' ? '' : 'attempt '}${result.outcome} result of trial ${result.campaign}/${result.index} (run ${result.runName})`;
    return this.#unsaved?.track(what, write) ?? write;
  }
}

/** A bug of ours, not of the trial: say exactly which field, and let the job retry. */
function checked(result: TrialResult): TrialResult {
  const parsed = TrialResultSchema.safeParse(result);
  if (!parsed.success) throw new Error(`worker built an invalid TrialResult: ${describeZodError(parsed.error, 'result')}`);
  return parsed.data;
}
