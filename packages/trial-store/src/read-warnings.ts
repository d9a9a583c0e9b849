import type { CampaignKeys } from '@hyperevolve/contract';
import type { RedisClient } from '@hyperevolve/runtime';
import { readManyFields } from './trial-fields.js';

/** A trial's warnings (its trainer went past a limit), as status and the dashboard show them. */
export interface TrialWarnings {
  readonly index: number;
  /** `<runName>: <what>`, oldest first. */
  readonly warnings: string[];
}

/** The campaign's trials with warnings: how many, and the `last` of them by index, newest first. */
export async function readWarnings(redis: RedisClient, keys: CampaignKeys, last: number): Promise<{ trials: number; recent: TrialWarnings[] }> {
  const [trials, members] = await Promise.all([redis.zcard(keys.warned), last > 0 ? redis.zrevrange(keys.warned, 0, last - 1) : Promise.resolve([])]);
  const indices = members.map(Number);
  const records = await readManyFields(redis, indices.map((index) => keys.trial(index)), ['warnings']);
  const recent = records.map((record, i) => ({ index: indices[i] ?? -1, warnings: record.warnings ?? [] })).filter((t) => t.warnings.length > 0);
  return { trials, recent };
}
