import { HypSchema, MetricsWireSchema, metricsFromWire, type CampaignConfig, type CampaignKeys } from '@hyperevolve/contract';
import { evolveCsvHeader, evolveCsvRow, trainerProfile, writeHypEvolveYaml, type EvolveColumns, type EvolveRow } from '@hyperevolve/ga-core';
import { CorruptStateError } from '../errors.js';
import type { RedisClient } from '@hyperevolve/runtime';

const BATCH = 2000;

/** evolve.csv's columns for a campaign: its trainer profile's metric names, then its hyp names. */
export function evolveColumns(config: CampaignConfig): EvolveColumns {
  return { metricNames: trainerProfile(config.adapter).metricNames, hypNames: Object.keys(config.baseHyp) };
}

/** Reads rows `from`.. of a campaign's evolve.csv (recording order) from Redis. */
export async function readEvolveRows(redis: RedisClient, keys: CampaignKeys, config: CampaignConfig, from = 0): Promise<{ indices: number[]; rows: EvolveRow[] }> {
  const indices = (await redis.lrange(keys.rows, from, -1)).map(Number);
  const hypNames = Object.keys(config.baseHyp);
  const rows: EvolveRow[] = [];
  for (let start = 0; start < indices.length; start += BATCH) {
    const slice = indices.slice(start, start + BATCH);
    const pipeline = redis.pipeline();
    for (const index of slice) pipeline.hmget(keys.trial(index), 'hyp', 'metrics');
    const replies = (await pipeline.exec()) ?? [];
    replies.forEach(([error, value], i) => {
      if (error !== null) throw error;
      const [hypRaw, metricsRaw] = value as [string | null, string | null];
      rows.push(parseRow(keys.trial(slice[i] ?? -1), hypNames, hypRaw, metricsRaw));
    });
  }
  return { indices, rows };
}

/** Reads the evolve.csv row of one trial. */
export async function readTrialRow(redis: RedisClient, keys: CampaignKeys, config: CampaignConfig, index: number): Promise<EvolveRow> {
  const [hypRaw, metricsRaw] = await redis.hmget(keys.trial(index), 'hyp', 'metrics');
  return parseRow(keys.trial(index), Object.keys(config.baseHyp), hypRaw ?? null, metricsRaw ?? null);
}

function parseRow(key: string, hypNames: readonly string[], hypRaw: string | null, metricsRaw: string | null): EvolveRow {
  if (hypRaw === null) throw new CorruptStateError(key, 'a recorded trial has no hyp');
  // A generic-adapter trial that reported only its own fitness has no metrics: its row says nan.
  if (metricsRaw === null) metricsRaw = '{}';
  let hyp: ReturnType<typeof HypSchema.safeParse>;
  let metrics: ReturnType<typeof MetricsWireSchema.safeParse>;
  try {
    hyp = HypSchema.safeParse(JSON.parse(hypRaw));
    metrics = MetricsWireSchema.safeParse(JSON.parse(metricsRaw));
  } catch (error) {
    throw new CorruptStateError(key, 'hyp or metrics are not JSON', { cause: error });
  }
  if (!hyp.success || !metrics.success) throw new CorruptStateError(key, 'hyp or metrics are malformed');
  const ordered: Record<string, number> = {};
  for (const name of hypNames) ordered[name] = hyp.data[name] ?? Number.NaN;
  return { metrics: metricsFromWire(metrics.data), hyp: ordered };
}

/** hyp_evolve.yaml for the best trial, whose row position is its generation number (as YOLOv5 counts). */
export function renderHypEvolve(config: CampaignConfig, best: EvolveRow, bestPosition: number, rowCount: number): string {
  return writeHypEvolveYaml({ columns: evolveColumns(config), best, bestIndex: bestPosition, lastIndex: rowCount - 1 });
}

/**
 * evolve.csv as chunks of rendered rows (empty until the first row exists): a million rows are
 * ~700 MB, more than one JavaScript string can hold.
 */
export function evolveCsvChunks(config: CampaignConfig, lines: readonly string[], rowsPerChunk = 2000): string[] {
  if (lines.length === 0) return [];
  const chunks = [evolveCsvHeader(evolveColumns(config))];
  for (let start = 0; start < lines.length; start += rowsPerChunk) chunks.push(lines.slice(start, start + rowsPerChunk).join(''));
  return chunks;
}

export function renderRowLines(config: CampaignConfig, rows: readonly EvolveRow[]): string[] {
  const columns = evolveColumns(config);
  return rows.map((row) => evolveCsvRow(row, columns));
}
