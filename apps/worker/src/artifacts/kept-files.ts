import { join, relative, sep } from 'node:path';
import type { Adapter, KeepArtifacts } from '@hyperevolve/contract';
import { configureTrainer } from '@hyperevolve/ga-core';
import { findRunFile } from '../run-file.js';

/** What a campaign's runs need to be judged: its setting, and where its trainer's profile puts the files to keep. */
export interface ArtifactCampaign {
  readonly keep: KeepArtifacts;
  readonly adapter: Adapter;
  readonly adapterParams: Readonly<Record<string, unknown>>;
  readonly command: readonly string[];
}

/** What the worker writes in each run directory (prepare-run.ts), and files trainers keep their settings in. */
const WORKER_FILES = ['hyp.yaml', 'command.txt', 'train.log', 'opt.yaml', 'args.yaml'];

/**
 * What a pruned run keeps whatever its size, relative to its directory: the worker's files and
 * the results and per-epoch log its trainer's profile reads (exports, `status`, the dashboard),
 * a path with `*` as the file the worker read there (run-file.ts: the newest match).
 */
export async function keptFiles(campaign: ArtifactCampaign, projectDir: string, runName: string): Promise<Set<string>> {
  const profile = configureTrainer(campaign.adapter, campaign.adapterParams);
  const place = { command: campaign.command, projectDir, runName, trialDir: join(projectDir, runName) };
  const own: string[] = [];
  for (const path of [profile.resultsPath(place), profile.epochLog.path(place)]) {
    const found = await findRunFile(path, place.trialDir).catch(() => undefined);
    const rel = found?.kind === 'found' ? relative(place.trialDir, found.path) : undefined;
    if (rel !== undefined && rel !== '..' && !rel.startsWith(`..${sep}`)) own.push(rel.split(sep).join('/'));
  }
  return new Set([...WORKER_FILES, ...own]);
}
