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

/** A trial to queue: its index, its hyps, and whether they are the campaign's base hyps (never pruned). */
export interface QueuedTrial {
  index: number;
  hyp: Hyp;
  origin?: string;
}

function trialJobPayload(config: CampaignConfig, { index, hyp, origin }: QueuedTrial): TrialJob {
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
    workerRecords: true,
    ...(origin === 'base' ? { base: true as const } : {}),
  };
}

/**
 * Completed trial jobs are removed (a run its worker recorded is told by the completed event,
 * other results travel on the results queue); failed ones stay until the reconciler has
 * recorded them. A retry waits 1 s, 2 s, 4 s… (exponential).
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

export async function addTrialJob(queues: Queues, config: CampaignConfig, trial: QueuedTrial): Promise<void> {
  await queues.trials.add('trial', trialJobPayload(config, trial), trialJobOptions(config, trial.index));
}

/** Several trial jobs in one round trip (BullMQ addBulk: one MULTI). */
export async function addTrialJobs(queues: Queues, config: CampaignConfig, trials: readonly QueuedTrial[]): Promise<void> {
  if (trials.length === 0) return;
  await queues.trials.addBulk(trials.map((trial) => ({ name: 'trial', data: trialJobPayload(config, trial), opts: trialJobOptions(config, trial.index) })));
}
