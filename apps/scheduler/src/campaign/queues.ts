import { Queue, type JobsOptions } from 'bullmq';
import { RESULTS_QUEUE, TRIALS_QUEUE, trialJobId, type CampaignConfig, type TrialJob } from '@hyperevolve/contract';
import type { Hyp } from '@hyperevolve/ga-core';
import type { RedisClient } from '@hyperevolve/runtime';

export interface Queues {
  trials: Queue;
  results: Queue;
  close(): Promise<void>;
}

/** BullMQ queues share the campaign prefix, so one Redis can host several installations. */
export function openQueues(connection: RedisClient, prefix: string): Queues {
  const trials = new Queue(TRIALS_QUEUE, { connection, prefix });
  const results = new Queue(RESULTS_QUEUE, { connection, prefix });
  trials.on('error', () => undefined);
  results.on('error', () => undefined);
  return {
    trials,
    results,
    close: async () => {
      await Promise.allSettled([trials.close(), results.close()]);
    },
  };
}

function trialJobPayload(config: CampaignConfig, index: number, hyp: Hyp): TrialJob {
  return {
    v: 1,
    campaign: config.name,
    index,
    hyp: { ...hyp },
    command: config.command,
    adapter: config.adapter,
    adapterParams: config.adapterParams,
    timeoutMs: config.timeoutMs,
    stallTimeoutMs: config.stallTimeoutMs,
    pruning: config.pruning,
    fastTrials: config.fastTrials,
    keepArtifacts: config.keepArtifacts,
    fitnessWeights: config.fitnessWeights,
  };
}

/**
 * Completed trial jobs are removed (the result travels on the results queue); failed ones
 * stay until the reconciler has recorded them. A retry waits 1 s, 2 s, 4 s… (exponential).
 */
function trialJobOptions(config: CampaignConfig, index: number): JobsOptions {
  return {
    jobId: trialJobId(config.name, index),
    attempts: config.attempts,
    backoff: { type: 'exponential', delay: 1000 },
    removeOnComplete: true,
    removeOnFail: false,
  };
}

export async function addTrialJob(queues: Queues, config: CampaignConfig, index: number, hyp: Hyp): Promise<void> {
  await queues.trials.add('trial', trialJobPayload(config, index, hyp), trialJobOptions(config, index));
}

/** Several trial jobs in one round trip (BullMQ addBulk: one MULTI). */
export async function addTrialJobs(queues: Queues, config: CampaignConfig, trials: readonly { index: number; hyp: Hyp }[]): Promise<void> {
  if (trials.length === 0) return;
  await queues.trials.addBulk(trials.map(({ index, hyp }) => ({ name: 'trial', data: trialJobPayload(config, index, hyp), opts: trialJobOptions(config, index) })));
}
