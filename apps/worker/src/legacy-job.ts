import { CampaignSettingsSchema, campaignKeys, type TrialJob } from '@hyperevolve/contract';
import type { FitnessWeights } from '@hyperevolve/ga-core';
import type { RedisClient } from '@hyperevolve/runtime';

/** A trial job with every setting its run needs. */
export type CompleteTrialJob = Omit<TrialJob, 'fitnessWeights'> & { readonly fitnessWeights: FitnessWeights | null };

/**
 * Jobs queued by a scheduler of an older release carry no fitness weights: theirs are read once
 * from the campaign's config, as those releases' workers did. Null when the config cannot be
 * read: the run's epochs then keep only a fitness the trainer reported itself, and a rung without
 * one goes on uncompared. Today's jobs carry their weights, and nothing is read.
 */
export async function completeLegacyJob(trial: TrialJob, redis: RedisClient, prefix: string): Promise<CompleteTrialJob> {
  if (trial.fitnessWeights !== undefined) return { ...trial, fitnessWeights: trial.fitnessWeights };
  return { ...trial, fitnessWeights: await readFitnessWeights(redis, prefix, trial.campaign) };
}

async function readFitnessWeights(redis: RedisClient, prefix: string, campaign: string): Promise<FitnessWeights | null> {
  try {
    const raw = await redis.get(campaignKeys(prefix, campaign).config);
    const parsed = CampaignSettingsSchema.pick({ fitnessWeights: true }).safeParse(raw === null ? null : JSON.parse(raw));
    return parsed.success ? parsed.data.fitnessWeights : null;
  } catch {
    return null;
  }
}
