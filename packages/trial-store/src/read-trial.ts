import { TRIAL_FIELDS, type CampaignKeys, type TrialFieldName, type TrialRecord } from '@hyperevolve/contract';
import type { RedisClient } from '@hyperevolve/runtime';
import { readFields } from './trial-fields.js';

const ALL = Object.keys(TRIAL_FIELDS) as TrialFieldName[];

/** Every field of one trial, decoded; null when there is no such trial. */
export async function readTrial(redis: RedisClient, keys: CampaignKeys, index: number): Promise<TrialRecord | null> {
  const record = await readFields(redis, keys.trial(index), ALL);
  return Object.keys(record).length === 0 ? null : record;
}
