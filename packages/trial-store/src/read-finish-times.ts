import type { CampaignKeys } from '@hyperevolve/contract';
import type { RedisClient } from '@hyperevolve/runtime';
import { readManyFields } from './trial-fields.js';

/** When each trial was recorded (ms), for the pace; null for an imported trial (recorded at import) or one not final. */
export async function readFinishTimes(redis: RedisClient, keys: CampaignKeys, indices: readonly number[]): Promise<(number | null)[]> {
  const records = await readManyFields(redis, indices.map((index) => keys.trial(index)), ['finishedAt', 'origin']);
  return records.map(({ finishedAt, origin }) => (origin === 'imported' || finishedAt === undefined ? null : finishedAt));
}
