import { CorruptStateError, type CampaignKeys } from '@hyperevolve/contract';
import type { Hyp } from '@hyperevolve/ga-core';
import type { RedisClient } from '@hyperevolve/runtime';
import { readManyFields } from './trial-fields.js';

/**
 * The hyps of trials that must have them (parents, trials to queue again); a trial without one
 * or with a damaged one is a CorruptStateError naming its key.
 */
export async function readHyps(redis: RedisClient, keys: CampaignKeys, indices: readonly number[]): Promise<Hyp[]> {
  const records = await readManyFields(redis, indices.map((index) => keys.trial(index)), ['hyp']);
  return records.map(({ hyp }, i) => {
    if (hyp === undefined) throw new CorruptStateError(keys.trial(indices[i] ?? -1), 'the trial has no hyp field');
    return hyp;
  });
}
