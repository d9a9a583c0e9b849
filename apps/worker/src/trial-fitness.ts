import { CampaignSettingsSchema, campaignKeys } from '@hyperevolve/contract';
import { fitness, type FitnessWeights, type MeasuredRun, type TrainerProfile } from '@hyperevolve/ga-core';
import type { RedisClient } from '@hyperevolve/runtime';

/** The campaign's fitness weights, from its config; null when it cannot be read. */
export async function readFitnessWeights(redis: RedisClient, prefix: string, campaign: string): Promise<FitnessWeights | null> {
  try {
    const raw = await redis.get(campaignKeys(prefix, campaign).config);
    const parsed = CampaignSettingsSchema.pick({ fitnessWeights: true }).safeParse(raw === null ? null : JSON.parse(raw));
    return parsed.success ? parsed.data.fitnessWeights : null;
  } catch {
    return null;
  }
}

/**
 * The fitness a succeeded run will be recorded with, for the worker's own log line: the one the
 * program reported, else the campaign's weights over its metrics (the scheduler's recorder
 * computes the same). Null when the campaign's weights cannot be read: the line goes without.
 */
export async function runFitness(redis: RedisClient, prefix: string, campaign: string, profile: TrainerProfile, measured: MeasuredRun): Promise<number | null> {
  if (measured.fitness !== null) return measured.fitness;
  if (measured.metrics === null) return null;
  const weights = await readFitnessWeights(redis, prefix, campaign);
  if (weights === null) return null;
  const value = fitness(measured.metrics, weights, profile.fitnessMetrics);
  return Number.isFinite(value) ? value : null;
}
