import type { Queue } from 'bullmq';
import { describeZodError, resultJobId, TrialResultSchema, type TrialResult } from '@hyperevolve/contract';
import type { UnsavedWrites } from '@hyperevolve/runtime';

/**
 * Posts TrialResults to the results queue. The job id is one per run (campaign, index, run
 * name), so posting the same run twice adds one job; the scheduler records each trial once.
 */
export class ResultPoster {
  readonly #queue: Queue;
  readonly #unsaved: UnsavedWrites | undefined;

  constructor(queue: Queue, unsaved?: UnsavedWrites) {
    this.#queue = queue;
    this.#unsaved = unsaved;
  }

  async post(result: TrialResult): Promise<void> {
    const parsed = TrialResultSchema.safeParse(result);
    // A bug of ours, not of the trial: say exactly which field, and let the job retry.
    if (!parsed.success) throw new Error(`worker built an invalid TrialResult: ${describeZodError(parsed.error, 'result')}`);
    const added = this.#queue.add('result', parsed.data, {
      jobId: resultJobId(result.campaign, result.index, result.runName),
      removeOnComplete: true,
    });
    await (this.#unsaved?.track(`the ${result.final || result.outcome === 'succeeded' ? '' : 'attempt '}${result.outcome} result of trial ${result.campaign}/${result.index} (run ${result.runName})`, added) ?? added);
  }
}
