import type { CampaignKeys, MetricsWire } from '@hyperevolve/contract';
import type { RedisClient } from '@hyperevolve/runtime';
import { readManyFields } from './trial-fields.js';

/** Where a running trial's current run is: its latest epoch, as its worker recorded it. */
export interface TrialProgress {
  /** Epochs done; 0 before the first. */
  readonly epoch: number;
  readonly epochs: number | null;
  readonly metrics: MetricsWire | null;
  /** A fitness the trainer computed itself for that epoch. */
  readonly fitness: number | null;
}

/** Each trial's latest epoch (of its current run). */
export async function readProgress(redis: RedisClient, keys: CampaignKeys, indices: readonly number[]): Promise<TrialProgress[]> {
  const records = await readManyFields(redis, indices.map((index) => keys.trial(index)), ['epoch', 'epochs', 'epochMetrics', 'epochFitness']);
  return records.map((record) => ({ epoch: record.epoch ?? 0, epochs: record.epochs ?? null, metrics: record.epochMetrics ?? null, fitness: record.epochFitness ?? null }));
}
