import { HypSchema, MetricsWireSchema, type MetricsWire } from '@hyperevolve/contract';
import type { RedisClient } from '@hyperevolve/runtime';
import type { CampaignStore } from '../campaign/campaign-store.js';

/** Most trials one answer carries; the page asks again from where it stopped. */
export const TRIAL_ROWS_PAGE = 2000;

/** One line of the dashboard's trials table. */
export interface TrialRow {
  index: number;
  status: string;
  /** null until succeeded (and for a trial recorded without a fitness). */
  fitness: number | null;
  hyp: Record<string, number>;
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
  origin: string | null;
}

const FIELDS = ['status', 'fitness', 'hyp', 'metrics', 'durationMs', 'startedAt', 'finishedAt', 'host', 'device', 'attempt', 'logPath', 'error', 'origin'] as const;

/**
 * Trials `from`… of a campaign (at most {@link TRIAL_ROWS_PAGE}), every one it issued, for the
 * trials table; null for an unknown campaign. `next` is where the following page starts, or
 * null when these are the last issued so far.
 */
export async function readTrialRows(redis: RedisClient, store: CampaignStore, name: string, from: number): Promise<{ issued: number; from: number; next: number | null; trials: TrialRow[] } | null> {
  const state = await store.readState(name);
  if (state === null) return null;
  const issued = state.nextIndex;
  const end = Math.min(issued, from + TRIAL_ROWS_PAGE);
  const keys = store.keys(name);
  const trials: TrialRow[] = [];
  if (from < end) {
    // Every key is the campaign's: one pipeline is one slot even on a Redis Cluster.
    const pipeline = redis.pipeline();
    for (let index = from; index < end; index++) pipeline.hmget(keys.trial(index), ...FIELDS);
    const replies = (await pipeline.exec()) ?? [];
    replies.forEach(([error, value], i) => {
      if (error !== null) throw error;
      const row = toRow(from + i, value as (string | null)[]);
      if (row !== null) trials.push(row);
    });
  }
  return { issued, from, next: end < issued ? end : null, trials };
}

function toRow(index: number, values: readonly (string | null)[]): TrialRow | null {
  const field = (name: (typeof FIELDS)[number]): string | null => values[FIELDS.indexOf(name)] ?? null;
  const status = field('status');
  if (status === null) return null;
  const logPath = field('logPath');
  return {
    index,
    status,
    fitness: numberOrNull(field('fitness')),
    hyp: parseWith(field('hyp'), HypSchema) ?? {},
    metrics: parseWith(field('metrics'), MetricsWireSchema),
    durationMs: numberOrNull(field('durationMs')),
    startedAt: numberOrNull(field('startedAt')),
    finishedAt: numberOrNull(field('finishedAt')),
    host: field('host'),
    device: field('device'),
    attempt: numberOrNull(field('attempt')),
    hasLog: logPath !== null && logPath !== '',
    error: field('error'),
    origin: field('origin'),
  };
}

function numberOrNull(raw: string | null): number | null {
  if (raw === null || raw === '') return null;
  const n = Number(raw);
  return Number.isFinite(n) ? n : null;
}

function parseWith<T>(raw: string | null, schema: { safeParse(v: unknown): { success: true; data: T } | { success: false } }): T | null {
  if (raw === null) return null;
  try {
    const parsed = schema.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}
