import { lstat, opendir } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * Bytes of the regular files under `dir`, at any depth, without following a symbolic link (a
 * link counts as nothing, and what it points at is not this directory's). Entries that vanish
 * while it counts are skipped; a missing `dir` is 0.
 */
export async function dirBytes(dir: string): Promise<number> {
  const folder = await opendir(dir).catch(() => undefined);
  if (folder === undefined) return 0;
  let bytes = 0;
  for await (const entry of folder) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) bytes += await dirBytes(path);
    else if (entry.isFile()) bytes += (await lstat(path).catch(() => undefined))?.size ?? 0;
  }
  return bytes;
}
