import type { CampaignKeys } from '@hyperevolve/contract';
import type { RedisClient } from '@hyperevolve/runtime';
import { readManyFields } from './trial-fields.js';

/** How long each trial's recorded run took (ms); null for an imported trial or one without a result. */
export async function readDurations(redis: RedisClient, keys: CampaignKeys, indices: readonly number[]): Promise<(number | null)[]> {
  const records = await readManyFields(redis, indices.map((index) => keys.trial(index)), ['durationMs', 'origin']);
  return records.map(({ durationMs, origin }) => (origin === 'imported' || durationMs === undefined ? null : durationMs));
}
