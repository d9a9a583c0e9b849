import type { CampaignKeys, MetricsWire, TrialRecord, TrialStatus } from '@hyperevolve/contract';
import type { Hyp } from '@hyperevolve/ga-core';
import type { RedisClient } from '@hyperevolve/runtime';
import { readManyFields } from './trial-fields.js';

/** One trial as the dashboard's trials table lists it. */
export interface TrialRow {
  index: number;
  status: TrialStatus;
  /** null until succeeded (and for a trial recorded without a fitness). */
  fitness: number | null;
  hyp: Hyp;
  metrics: MetricsWire | null;
  /** The last run's length; null while it runs (see startedAt) or when it never ran. */
  durationMs: number | null;
  /** When its latest run started (ms since the epoch); null when it never ran. */
  startedAt: number | null;
  finishedAt: number | null;
  host: string | null;
  device: string | null;
  attempt: number | null;
  /** A run wrote a train.log (false for a trial that never ran: queued, refused, imported). */
  hasLog: boolean;
  error: string | null;
  /** `imported` for rows of a --seed-from evolve.csv. */
  origin: TrialRecord['origin'] | null;
}

/** Each trial as a table row, in order; null for an index with no trial (any more). */
export async function readRows(redis: RedisClient, keys: CampaignKeys, indices: readonly number[]): Promise<(TrialRow | null)[]> {
  const records = await readManyFields(redis, indices.map((index) => keys.trial(index)), ['status', 'fitness', 'hyp', 'metrics', 'durationMs', 'startedAt', 'finishedAt', 'host', 'device', 'attempt', 'logPath', 'error', 'origin']);
  return records.map((r, i) => {
    if (r.status === undefined) return null;
    return {
      index: indices[i] ?? -1,
      status: r.status,
      fitness: r.fitness ?? null,
      hyp: r.hyp ?? {},
      metrics: r.metrics ?? null,
      durationMs: r.durationMs ?? null,
      startedAt: r.startedAt ?? null,
      finishedAt: r.finishedAt ?? null,
      host: r.host ?? null,
      device: r.device ?? null,
      attempt: r.attempt ?? null,
      hasLog: r.logPath !== undefined && r.logPath !== '',
      error: r.error ?? null,
      origin: r.origin ?? null,
    };
  });
}
