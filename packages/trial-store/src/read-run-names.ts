import type { CampaignKeys, TrialStatus } from '@hyperevolve/contract';
import type { RedisClient } from '@hyperevolve/runtime';
import { readManyFields } from './trial-fields.js';

/** A trial's status and the run it last started or was recorded from (`<index>-<attempt>[-rN]`). */
export interface TrialRunName {
  status: TrialStatus | null;
  runName: string | null;
}

/** Of each trial: its status and its latest run's name (null for a trial that does not exist, or never ran). */
export async function readRunNames(redis: RedisClient, keys: CampaignKeys, indices: readonly number[]): Promise<TrialRunName[]> {
  const records = await readManyFields(redis, indices.map((index) => keys.trial(index)), ['status', 'runName']);
  return records.map(({ status, runName }) => ({ status: status ?? null, runName: runName ?? null }));
}
