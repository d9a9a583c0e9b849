import type { Dirent } from 'node:fs';
import { lstat, opendir } from 'node:fs/promises';
import { join } from 'node:path';
import { RUN_FILE_WILDCARD, runFileSegments } from '@hyperevolve/ga-core';

/** Entries looked at in the folder a wildcard reads: a trainer's runaway folder is not stat'ed whole. */
const RUN_FILE_MAX_ENTRIES = 1000;

/** Where a profile's file of a run is now: a path to open (openUntrusted checks the file itself), not there yet, or refused. */
export type RunFile =
  | { readonly kind: 'found'; readonly path: string }
  | { readonly kind: 'missing' }
  /** A folder on the way is a symbolic link: `why` says which, for the warning. */
  | { readonly kind: 'refused'; readonly why: string };

const MISSING: RunFile = { kind: 'missing' };

/**
 * The file a profile's path of a run names (resultsPath, epochLog.path: ga-core's
 * runFileSegments rules), inside `trialDir`. A file directly in the directory is the path itself,
 * no I/O. Otherwise the path is walked name by name: every folder on the way must be a real
 * directory (a symbolic link is refused, never followed out of the run), and the one name with
 * `*` is matched against the first {@link RUN_FILE_MAX_ENTRIES} entries of its folder, the newest
 * regular file among the matches taken (by mtime, then the greater name): mmengine's
 * `<timestamp>/vis_data/scalars.json` of the latest start. Every name there is the trainer's:
 * compared, never parsed.
 */
export async function findRunFile(path: string, trialDir: string): Promise<RunFile> {
  const prefix = `${trialDir}/`;
  if (!path.startsWith(prefix)) throw new Error(`${path} is not inside the run's directory ${trialDir}: a profile's files lie in it`);
  const segments = runFileSegments(path.slice(prefix.length));
  const star = segments.findIndex((segment) => segment.includes(RUN_FILE_WILDCARD));
  if (star === -1) {
    if (segments.length === 1) return { kind: 'found', path };
    const dir = await realFolders(trialDir, segments.slice(0, -1));
    return dir.kind === 'found' ? { kind: 'found', path: join(dir.path, segments.at(-1) ?? '') } : dir;
  }
  const base = await realFolders(trialDir, segments.slice(0, star));
  if (base.kind !== 'found') return base;
  return newestMatch(base.path, segments[star] ?? '', segments.slice(star + 1));
}

/** `dir/names…` when each is a real directory; missing when one is not there (or not a folder). */
async function realFolders(dir: string, names: readonly string[]): Promise<RunFile> {
  let at = dir;
  for (const name of names) {
    const next = join(at, name);
    const stats = await lstat(next).catch(() => undefined);
    if (stats === undefined) return MISSING;
    if (stats.isSymbolicLink()) return { kind: 'refused', why: `${next} is a symbolic link (the worker follows no link out of the run's directory)` };
    if (!stats.isDirectory()) return MISSING;
    at = next;
  }
  return { kind: 'found', path: at };
}

/** `pattern` as a whole-name test: `*` any run of characters, everything else itself. */
function nameTest(pattern: string): RegExp {
  const parts = pattern.split(RUN_FILE_WILDCARD).map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  return new RegExp(`^${parts.join('.*')}$`, 's');
}

async function newestMatch(dir: string, pattern: string, rest: readonly string[]): Promise<RunFile> {
  const test = nameTest(pattern);
  const folder = await opendir(dir).catch(() => undefined);
  if (folder === undefined) return MISSING;
  const matches: Dirent[] = [];
  let seen = 0;
  for await (const entry of folder) {
    if (++seen > RUN_FILE_MAX_ENTRIES) break;
    // A link is neither a file nor a directory here (readdir's own type): never followed.
    if (test.test(entry.name) && (rest.length === 0 ? entry.isFile() : entry.isDirectory())) matches.push(entry);
  }
  let best: { path: string; name: string; mtimeMs: number } | undefined;
  for (const entry of matches) {
    const folders = await realFolders(join(dir, entry.name), rest.slice(0, -1));
    if (folders.kind !== 'found') continue;
    const path = rest.length === 0 ? folders.path : join(folders.path, rest.at(-1) ?? '');
    const stats = await lstat(path).catch(() => undefined);
    if (stats?.isFile() !== true) continue;
    const newer = best === undefined || stats.mtimeMs > best.mtimeMs || (stats.mtimeMs === best.mtimeMs && entry.name > best.name);
    if (newer) best = { path, name: entry.name, mtimeMs: stats.mtimeMs };
  }
  return best === undefined ? MISSING : { kind: 'found', path: best.path };
}
