import type { Queue } from 'bullmq';
import { describeZodError, resultJobId, TrialResultSchema, type TrialResult } from '@hyperevolve/contract';

/**
 * Posts TrialResults to the results queue. The job id is one per run (campaign, index, run
 * name), so posting the same run twice adds one job; the scheduler records each trial once.
 */
export class ResultPoster {
  readonly #queue: Queue;

  constructor(queue: Queue) {
    this.#queue = queue;
  }

  async post(result: TrialResult): Promise<void> {
    const parsed = TrialResultSchema.safeParse(result);
    // A bug of ours, not of the trial: say exactly which field, and let the job retry.
    if (!parsed.success) throw new Error(`worker built an invalid TrialResult: ${describeZodError(parsed.error, 'result')}`);
    await this.#queue.add('result', parsed.data, {
      jobId: resultJobId(result.campaign, result.index, result.runName),
      removeOnComplete: true,
    });
  }
}
