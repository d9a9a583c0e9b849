import { mkdir, readFile, rename, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { TRAINER_NAMES, trainerProfile } from '@hyperevolve/ga-core';
import { ConfigError } from '@hyperevolve/runtime';
import { countRows, restoreAdvice } from './orphaned-exports.js';
import { PRUNED_CSV } from './pruned-csv.js';

/** Every file name a campaign may export, whatever its trainer. */
const EXPORT_NAMES = [...new Set([...TRAINER_NAMES.flatMap((name) => trainerProfile(name).exports), PRUNED_CSV])];

/** An export of an earlier campaign of the same name that a new campaign would overwrite. */
export interface SurvivingFile {
  name: string;
  /** Data rows of a table (CSV lines after the header, ndjson lines); null for other files. */
  rows: number | null;
}

/** The exports in `dir` that hold something: tables with rows, other files that are not empty. */
async function survivingExports(dir: string): Promise<SurvivingFile[]> {
  const found: SurvivingFile[] = [];
  for (const name of EXPORT_NAMES) {
    const path = join(dir, name);
    const info = await stat(path).catch(() => null);
    if (info === null || !info.isFile() || info.size === 0) continue;
    if (name.endsWith('.csv')) {
      const rows = await countRows(path);
      if (rows !== null && rows > 0) found.push({ name, rows });
    } else if (name.endsWith('.ndjson')) {
      const text = await readFile(path, 'utf8').catch(() => '');
      const rows = text.split('\n').filter((line) => line.trim() !== '').length;
      if (rows > 0) found.push({ name, rows });
    } else {
      found.push({ name, rows: null });
    }
  }
  return found;
}

function describe(files: readonly SurvivingFile[]): string {
  return files.map((file) => (file.rows === null ? file.name : `${file.name}: ${file.rows} rows`)).join(', ');
}

/**
 * Before campaign `name` is created with `dir` as its export directory, where an earlier
 * campaign of that name left files: a deleted one's are moved into `<dir>/deleted-<time>/`
 * (returned, to be said); a lost one's (Redis lost the campaign; its files are all that is
 * left) make enqueue refuse, with the command that carries on from them, unless `seedFrom` is
 * that very evolve.csv (the new campaign then holds its rows). A new campaign never overwrites
 * them.
 */
export async function keepSurvivingExports(options: { name: string; outDir: string; dir: string; deleted: boolean; seedFrom: string | null }): Promise<string | undefined> {
  const { name, outDir, dir, deleted, seedFrom } = options;
  const files = await survivingExports(dir);
  if (files.length === 0) return undefined;
  const csv = join(dir, 'evolve.csv');
  if (!deleted) {
    if (seedFrom !== null && resolve(seedFrom) === resolve(csv)) return undefined;
    const rows = files.find((file) => file.name === 'evolve.csv')?.rows ?? 0;
    const lost = rows > 0 ? `${restoreAdvice({ name, path: csv, rows })}.` : `campaign ${name} is not in Redis, but ${dir} holds files of it (${describe(files)}): Redis lost it.`;
    throw new ConfigError(`${lost} A new campaign ${name} would overwrite ${describe(files)}, so enqueue refuses. ` +
      `To start afresh instead, move ${dir} elsewhere first, or choose another --name (--out ${outDir} is where its files go)`);
  }
  const aside = join(dir, `deleted-${new Date().toISOString().replaceAll(':', '-').replace(/\.\d+Z$/, 'Z')}`);
  await mkdir(aside, { recursive: true });
  for (const file of files) await rename(join(dir, file.name), join(aside, file.name));
  return `the files of the deleted campaign ${name} (${describe(files)}) are in ${aside} now; its new files go to ${dir}`;
}
