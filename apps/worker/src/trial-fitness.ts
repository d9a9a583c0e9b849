import { CampaignSettingsSchema, campaignKeys } from '@hyperevolve/contract';
import { fitness, type MeasuredRun, type TrainerProfile } from '@hyperevolve/ga-core';
import type { RedisClient } from '@hyperevolve/runtime';

/**
 * The fitness a succeeded run will be recorded with, for the worker's own log line: the one the
 * program reported, else the campaign's weights over its metrics (the scheduler's recorder
 * computes the same). Null when the campaign's weights cannot be read: the line goes without.
 */
export async function runFitness(redis: RedisClient, prefix: string, campaign: string, profile: TrainerProfile, measured: MeasuredRun): Promise<number | null> {
  if (measured.fitness !== null) return measured.fitness;
  if (measured.metrics === null) return null;
  try {
    const raw = await redis.get(campaignKeys(prefix, campaign).config);
    const parsed = CampaignSettingsSchema.pick({ fitnessWeights: true }).safeParse(raw === null ? null : JSON.parse(raw));
    if (!parsed.success) return null;
    const value = fitness(measured.metrics, parsed.data.fitnessWeights, profile.fitnessMetrics);
    return Number.isFinite(value) ? value : null;
  } catch {
    return null;
  }
}
