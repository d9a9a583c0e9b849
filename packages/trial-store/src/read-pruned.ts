import type { CampaignKeys } from '@hyperevolve/contract';
import type { Hyp } from '@hyperevolve/ga-core';
import type { RedisClient } from '@hyperevolve/runtime';
import { readManyFields } from './trial-fields.js';

/** A trial stopped at a rung, as status, the dashboard and pruned.csv show it. */
export interface PrunedTrial {
  readonly index: number;
  readonly hyp: Hyp;
  /** Epochs done when it was stopped. */
  readonly rung: number;
  /** Its fitness there, and the cut it was below. */
  readonly fitness: number;
  readonly cut: number;
  /** The epochs its trainer would have run; null when the trainer did not say. */
  readonly epochs: number | null;
  /** Its run's time on the device until it was stopped (ms); null for a record without it. */
  readonly durationMs: number | null;
  readonly finishedAt: number | null;
}

/** The campaign's pruned trials in the order they were pruned (its pruned list): all, or the `last` ones. */
export async function readPruned(redis: RedisClient, keys: CampaignKeys, last?: number): Promise<PrunedTrial[]> {
  const indices = (await redis.lrange(keys.pruned, last === undefined ? 0 : -last, -1)).map(Number);
  const records = await readManyFields(redis, indices.map((index) => keys.trial(index)), ['hyp', 'prunedRung', 'prunedFitness', 'pruneCut', 'epochs', 'durationMs', 'finishedAt']);
  return records.map((record, i) => ({
    index: indices[i] ?? -1,
    hyp: record.hyp ?? {},
    rung: record.prunedRung ?? 0,
    fitness: record.prunedFitness ?? Number.NaN,
    cut: record.pruneCut ?? Number.NaN,
    epochs: record.epochs ?? null,
    durationMs: record.durationMs ?? null,
    finishedAt: record.finishedAt ?? null,
  }));
}
