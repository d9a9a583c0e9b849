import type { CampaignKeys, TrialRecord } from '@hyperevolve/contract';
import type { RedisClient } from '@hyperevolve/runtime';
import { readManyFields } from './trial-fields.js';

/** How each trial's hyps came about, and its error if it has one (the breeder counts failed base trials). */
export async function readOrigins(redis: RedisClient, keys: CampaignKeys, indices: readonly number[]): Promise<{ origin: TrialRecord['origin'] | null; error: string | null }[]> {
  const records = await readManyFields(redis, indices.map((index) => keys.trial(index)), ['origin', 'error']);
  return records.map(({ origin, error }) => ({ origin: origin ?? null, error: error ?? null }));
}
