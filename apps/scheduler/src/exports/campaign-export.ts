import { join } from 'node:path';
import type { CampaignConfig } from '@hyperevolve/contract';
import { trainerProfile } from '@hyperevolve/ga-core';
import type { CampaignStore } from '../campaign/campaign-store.js';
import { writeFileAtomic } from './atomic-write.js';
import { evolveCsvChunks, readEvolveRows, readTrialRow, renderHypEvolve, renderRowLines } from './evolve-snapshot.js';
import { PRUNED_CSV, renderPrunedCsv } from './pruned-csv.js';
import { renderBestHyperparameters, renderTuneResultsLines } from './ultralytics-files.js';

/**
 * Rendered evolve.csv lines kept between exports. A campaign's rows only ever get appended,
 * but Redis can lose them (restarted without its append-only file, or rolled back to an older
 * one) and the campaign be created again: {@link exportCampaign} then starts the cache over.
 */
export interface RowCache {
  /** The createdAt of the campaign whose rows these are. */
  createdAt?: number;
  indices: number[];
  lines: string[];
  /** tune_results.ndjson lines, for profiles that export it. */
  tuneLines?: string[];
}

export interface ExportResult {
  dir: string;
  rows: number;
  wroteBest: boolean;
  /** The names of the files written, in the order written. */
  written: string[];
}

export interface ExtraFile {
  /** File name inside the export directory, e.g. evolve.png. */
  name: string;
  render(config: CampaignConfig, dir: string): Promise<Uint8Array | string | null>;
  /**
   * A clean stop begins: renders from now on must return the final content (no background
   * work left behind). Returns the campaigns whose file may lag behind the rows.
   */
  settle?(): readonly string[];
}

/**
 * Writes the files the campaign's trainer profile exports (`<dir>/evolve.csv`,
 * `<dir>/hyp_evolve.yaml`, and the extras it names) from Redis, each atomically; for a pruning
 * campaign with pruned trials, also `<dir>/pruned.csv`.
 * With a cache, only rows recorded since the last export are read and formatted.
 */
export async function exportCampaign(
  store: CampaignStore,
  name: string,
  dir: string,
  cache: RowCache = { indices: [], lines: [] },
  extras: readonly ExtraFile[] = [],
): Promise<ExportResult | null> {
  const config = await store.readConfig(name);
  const state = await store.readState(name);
  if (config === null || state === null) return null;
  const files: readonly string[] = trainerProfile(config.adapter).exports;
  // exportedRows is written after each export, so it rolls back with the rows it counted.
  if (cache.createdAt !== config.createdAt || state.exportedRows < cache.indices.length) {
    cache.createdAt = config.createdAt;
    cache.indices.length = 0;
    cache.lines.length = 0;
    cache.tuneLines = [];
  }
  const tuneLines = (cache.tuneLines ??= []);
  const fresh = await readEvolveRows(store, config, cache.indices.length);
  // One push per row: spreading a first export's rows (a restart on a big campaign) as
  // arguments overflows the stack at a few hundred thousand.
  if (files.includes('tune_results.ndjson')) {
    for (const line of renderTuneResultsLines(config, fresh.rows, cache.indices.length)) tuneLines.push(line);
  }
  for (const index of fresh.indices) cache.indices.push(index);
  for (const line of renderRowLines(config, fresh.rows)) cache.lines.push(line);
  // hyp_evolve.yaml first: whoever sees evolve.csv with N rows finds a hyp_evolve.yaml at
  // least as new (the state, and so the best, was read before the rows).
  let wroteBest = false;
  const written: string[] = [];
  const position = state.bestTrial === undefined ? -1 : cache.indices.lastIndexOf(state.bestTrial);
  if (state.bestTrial !== undefined && position >= 0) {
    const best = await readTrialRow(store, config, state.bestTrial);
    if (files.includes('hyp_evolve.yaml')) {
      await writeFileAtomic(join(dir, 'hyp_evolve.yaml'), renderHypEvolve(config, best, position, cache.indices.length));
      wroteBest = true;
      written.push('hyp_evolve.yaml');
    }
    if (files.includes('best_hyperparameters.yaml')) {
      await writeFileAtomic(join(dir, 'best_hyperparameters.yaml'), renderBestHyperparameters(config, best, state.bestTrial, position, cache.indices.length));
      written.push('best_hyperparameters.yaml');
    }
  }
  if (files.includes('tune_results.ndjson') && tuneLines.length > 0) {
    await writeFileAtomic(join(dir, 'tune_results.ndjson'), tuneResultsChunks(tuneLines));
    written.push('tune_results.ndjson');
  }
  if (files.includes('evolve.csv')) {
    await writeFileAtomic(join(dir, 'evolve.csv'), evolveCsvChunks(config, cache.lines));
    written.push('evolve.csv');
  }
  if (config.pruning.mode !== 'none') {
    const pruned = await store.trials.readPruned(name);
    if (pruned.length > 0) {
      await writeFileAtomic(join(dir, PRUNED_CSV), renderPrunedCsv(config, pruned));
      written.push(PRUNED_CSV);
    }
  }
  for (const extra of extras) {
    if (!files.includes(extra.name)) continue;
    const content = await extra.render(config, dir);
    if (content === null) continue;
    await writeFileAtomic(join(dir, extra.name), content);
    written.push(extra.name);
  }
  return { dir, rows: cache.indices.length, wroteBest, written };
}

/** The campaign's own export directory: `<outDir>/<name>`, YOLOv5's runs/evolve/exp. */
export function campaignExportDir(config: Pick<CampaignConfig, 'outDir' | 'name'>): string {
  return join(config.outDir, config.name);
}

/** tune_results.ndjson as chunks of lines: one string could not hold a million rows. */
function tuneResultsChunks(lines: readonly string[], linesPerChunk = 2000): string[] {
  const chunks: string[] = [];
  for (let start = 0; start < lines.length; start += linesPerChunk) chunks.push(lines.slice(start, start + linesPerChunk).join(''));
  return chunks;
}
