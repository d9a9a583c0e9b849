import { CorruptStateError, metricsFromWire, type CampaignKeys } from '@hyperevolve/contract';
import type { EvolveRow } from '@hyperevolve/ga-core';
import type { RedisClient } from '@hyperevolve/runtime';
import { readManyFields } from './trial-fields.js';

/**
 * evolve.csv rows of recorded trials: hyps, metrics (a trial that reported only its own
 * fitness has none: its metric cells say nan) and fitness (NaN for an imported row that had none).
 */
export async function readEvolveRows(redis: RedisClient, keys: CampaignKeys, indices: readonly number[]): Promise<EvolveRow[]> {
  const records = await readManyFields(redis, indices.map((index) => keys.trial(index)), ['hyp', 'metrics', 'fitness']);
  return records.map(({ hyp, metrics, fitness }, i) => {
    if (hyp === undefined) throw new CorruptStateError(keys.trial(indices[i] ?? -1), 'a recorded trial has no hyp');
    return { hyp, metrics: metrics === undefined ? {} : metricsFromWire(metrics), fitness: fitness ?? Number.NaN };
  });
}
