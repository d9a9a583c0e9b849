import { CorruptStateError, type CampaignKeys } from '@hyperevolve/contract';
import type { Hyp } from '@hyperevolve/ga-core';
import type { RedisClient } from '@hyperevolve/runtime';
import { readManyFields } from './trial-fields.js';

/** A recorded trial as the plots draw it. */
export interface TrialPoint {
  index: number;
  /** ms since the epoch; null when the record has none. */
  finishedAt: number | null;
  /** NaN unless it succeeded. */
  fitness: number;
  hyp: Hyp;
}

export async function readPoints(redis: RedisClient, keys: CampaignKeys, indices: readonly number[]): Promise<TrialPoint[]> {
  const records = await readManyFields(redis, indices.map((index) => keys.trial(index)), ['hyp', 'fitness', 'finishedAt', 'status']);
  return records.map(({ hyp, fitness, finishedAt, status }, i) => {
    const index = indices[i] ?? -1;
    if (hyp === undefined) throw new CorruptStateError(keys.trial(index), 'a recorded trial has no hyp');
    return { index, finishedAt: finishedAt ?? null, fitness: status === 'succeeded' && fitness !== undefined ? fitness : Number.NaN, hyp };
  });
}
