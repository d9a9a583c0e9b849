import type { CampaignKeys, TrialStatus } from '@hyperevolve/contract';
import type { RedisClient } from '@hyperevolve/runtime';
import { readManyFields } from './trial-fields.js';

/** The status of each trial; null for one that does not exist (any more). */
export async function readStatuses(redis: RedisClient, keys: CampaignKeys, indices: readonly number[]): Promise<(TrialStatus | null)[]> {
  const records = await readManyFields(redis, indices.map((index) => keys.trial(index)), ['status']);
  return records.map(({ status }) => status ?? null);
}
