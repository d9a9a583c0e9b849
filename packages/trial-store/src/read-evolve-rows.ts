import { CorruptStateError, metricsFromWire, type CampaignKeys } from '@hyperevolve/contract';
import type { EvolveRow } from '@hyperevolve/ga-core';
import type { RedisClient } from '@hyperevolve/runtime';
import { readManyFields } from './trial-fields.js';

/** A recorded trial as the exports read it: its evolve.csv row, its fitness and where it trained. */
export interface RecordedRow extends EvolveRow {
  /** NaN when the hash has none (a hand-edited one: the exports still get a row). */
  readonly fitness: number;
  /** The run's directory on its worker; undefined for a trial imported with --seed-from. */
  readonly trialDir: string | undefined;
}

/**
 * evolve.csv rows of recorded trials: hyps and metrics (a trial that reported only its own
 * fitness has none: its metric cells say nan), with the fitness and run directory the
 * Ultralytics exports (tune_results.ndjson, best_hyperparameters.yaml) add.
 */
export async function readEvolveRows(redis: RedisClient, keys: CampaignKeys, indices: readonly number[]): Promise<RecordedRow[]> {
  const records = await readManyFields(redis, indices.map((index) => keys.trial(index)), ['hyp', 'metrics', 'fitness', 'trialDir']);
  return records.map(({ hyp, metrics, fitness, trialDir }, i) => {
    if (hyp === undefined) throw new CorruptStateError(keys.trial(indices[i] ?? -1), 'a recorded trial has no hyp');
    return {
      hyp,
      metrics: metrics === undefined ? {} : metricsFromWire(metrics),
      fitness: fitness ?? Number.NaN,
      trialDir: trialDir === undefined || trialDir === '' ? undefined : trialDir,
    };
  });
}
