import type { CampaignConfig } from '@hyperevolve/contract';
import { evolveCsvHeader, evolveCsvRow, trainerProfile, writeHypEvolveYaml, type EvolveColumns, type EvolveRow } from '@hyperevolve/ga-core';
import type { RecordedRow } from '@hyperevolve/trial-store';
import type { CampaignStore } from '../campaign/campaign-store.js';

/** evolve.csv's columns for a campaign: its trainer profile's metric names, its hyp names, and a fitness where the profile says. */
function evolveColumns(config: CampaignConfig): EvolveColumns {
  const profile = trainerProfile(config.adapter);
  return { metricNames: profile.metricNames, hypNames: Object.keys(config.baseHyp), fitness: profile.fitnessColumn };
}

/** Reads rows `from`.. of a campaign's evolve.csv (recording order) from Redis. */
export async function readEvolveRows(store: CampaignStore, config: CampaignConfig, from = 0): Promise<{ indices: number[]; rows: RecordedRow[] }> {
  const indices = await store.readRowIndices(config.name, from);
  const rows = (await store.trials.readEvolveRows(config.name, indices)).map((row) => inColumns(row, config));
  return { indices, rows };
}

/** Reads the evolve.csv row of one trial. */
export async function readTrialRow(store: CampaignStore, config: CampaignConfig, index: number): Promise<RecordedRow> {
  const [row] = await store.trials.readEvolveRows(config.name, [index]);
  if (row === undefined) throw new Error(`no evolve.csv row read for trial ${index}`);
  return inColumns(row, config);
}

/** The row's hyps in the campaign's hyp order (the columns); a hyp the trial lacks is NaN. */
function inColumns(row: RecordedRow, config: CampaignConfig): RecordedRow {
  const ordered: Record<string, number> = {};
  for (const name of Object.keys(config.baseHyp)) ordered[name] = row.hyp[name] ?? Number.NaN;
  return { ...row, hyp: ordered };
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
