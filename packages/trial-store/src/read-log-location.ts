import type { CampaignKeys } from '@hyperevolve/contract';
import type { RedisClient } from '@hyperevolve/runtime';
import { readFields } from './trial-fields.js';

/** Where a trial's (latest) run log is: the path on its worker's host; null before any run started. */
export async function readLogLocation(redis: RedisClient, keys: CampaignKeys, index: number): Promise<{ logPath: string; host: string | null } | null> {
  const { logPath, host } = await readFields(redis, keys.trial(index), ['logPath', 'host']);
  return logPath === undefined ? null : { logPath, host: host ?? null };
}
