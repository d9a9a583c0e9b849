import { CorruptStateError, type CampaignKeys, type TrialRecord } from '@hyperevolve/contract';
import type { Hyp } from '@hyperevolve/ga-core';
import type { RedisClient } from '@hyperevolve/runtime';
import { readManyFields } from './trial-fields.js';

/** What a trial job is made of again (a resume, a job lost in a crash): its hyps and how they came about. */
export interface RequeuedTrial {
  index: number;
  hyp: Hyp;
  origin: TrialRecord['origin'] | undefined;
}

/** Trials to queue again; one without a valid hyp is a CorruptStateError naming its key. */
export async function readRequeued(redis: RedisClient, keys: CampaignKeys, indices: readonly number[]): Promise<RequeuedTrial[]> {
  const records = await readManyFields(redis, indices.map((index) => keys.trial(index)), ['hyp', 'origin']);
  return records.map(({ hyp, origin }, i) => {
    const index = indices[i] ?? -1;
    if (hyp === undefined) throw new CorruptStateError(keys.trial(index), 'the trial has no hyp field');
    return { index, hyp, origin };
  });
}
