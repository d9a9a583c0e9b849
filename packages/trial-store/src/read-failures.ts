import type { CampaignKeys, FailureKind } from '@hyperevolve/contract';
import type { RedisClient } from '@hyperevolve/runtime';
import { readManyFields } from './trial-fields.js';

/** A failed trial as `status` and the dashboard list it: what went wrong, where, and its log. */
export interface TrialFailureRecord {
  index: number;
  error: string;
  errorKind: FailureKind | null;
  logPath: string | null;
  command: string[] | null;
  host: string | null;
  worker: string | null;
  finishedAt: number | null;
}

export async function readFailures(redis: RedisClient, keys: CampaignKeys, indices: readonly number[]): Promise<TrialFailureRecord[]> {
  const records = await readManyFields(redis, indices.map((index) => keys.trial(index)), ['error', 'errorKind', 'logPath', 'command', 'host', 'worker', 'finishedAt']);
  return records.map((r, i) => ({
    index: indices[i] ?? -1,
    error: r.error ?? 'unknown',
    errorKind: r.errorKind ?? null,
    logPath: r.logPath ?? null,
    command: r.command ?? null,
    host: r.host ?? null,
    worker: r.worker ?? null,
    finishedAt: r.finishedAt ?? null,
  }));
}
