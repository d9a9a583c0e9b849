import { readdir, readFile, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { CampaignNameSchema } from '@hyperevolve/contract';

/** A campaign's exported evolve.csv on disk whose campaign Redis does not have (any more). */
export interface OrphanedExport {
  name: string;
  /** The evolve.csv. */
  path: string;
  /** Its data rows (lines after the header). */
  rows: number;
}

/** What happened and how to carry on from the files: a new campaign that starts from their rows. */
export function restoreAdvice(found: OrphanedExport): string {
  const outDir = dirname(dirname(found.path));
  return `campaign ${found.name} is not in Redis, but ${found.path} holds ${found.rows} rows of it: Redis lost it (restarted without its append-only file, flushed, or evicted). ` +
    `To carry on from those rows: scheduler enqueue --name ${found.name} --out ${outDir} --seed-from ${found.path} --generations N -- <training command>`;
}

/** Data rows of an evolve.csv (lines after the header); null when it cannot be read. */
export async function countRows(path: string): Promise<number | null> {
  const text = await readFile(path, 'utf8').catch(() => null);
  if (text === null) return null;
  return Math.max(0, text.trimEnd().split('\n').length - 1);
}

/** `<dir>/<name>/evolve.csv` (one with data rows) in each of `dirs` whose name is a campaign name not among `campaigns`. */
export async function findOrphanedExports(dirs: readonly string[], campaigns: ReadonlySet<string>): Promise<OrphanedExport[]> {
  const found: OrphanedExport[] = [];
  for (const dir of new Set(dirs)) {
    const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
    for (const entry of entries) {
      if (!entry.isDirectory() || campaigns.has(entry.name) || !CampaignNameSchema.safeParse(entry.name).success) continue;
      const path = join(dir, entry.name, 'evolve.csv');
      if (!(await stat(path).then((s) => s.isFile(), () => false))) continue;
      const rows = await countRows(path);
      if (rows !== null && rows > 0) found.push({ name: entry.name, path, rows });
    }
  }
  return found.sort((a, b) => a.path.localeCompare(b.path));
}
