import { CorruptStateError, metricsFromWire, type CampaignKeys } from '@hyperevolve/contract';
import type { EvolveRow } from '@hyperevolve/ga-core';
import type { RedisClient } from '@hyperevolve/runtime';
import { readManyFields } from './trial-fields.js';

/**
 * evolve.csv rows of recorded trials: hyps and metrics (a trial that reported only its own
 * fitness has none: its metric cells say nan).
 */
export async function readEvolveRows(redis: RedisClient, keys: CampaignKeys, indices: readonly number[]): Promise<EvolveRow[]> {
  const records = await readManyFields(redis, indices.map((index) => keys.trial(index)), ['hyp', 'metrics']);
  return records.map(({ hyp, metrics }, i) => {
    if (hyp === undefined) throw new CorruptStateError(keys.trial(indices[i] ?? -1), 'a recorded trial has no hyp');
    return { hyp, metrics: metrics === undefined ? {} : metricsFromWire(metrics) };
  });
}
