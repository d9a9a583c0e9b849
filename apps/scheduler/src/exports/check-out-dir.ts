import { access, constants, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { ConfigError } from '@hyperevolve/runtime';

/**
 * Refuses an `--out` that cannot receive `<out>/<name>/evolve.csv`: a file where a directory
 * must be (the export directory or one above it), or a directory this process may not write.
 * Creates nothing. The check runs where `enqueue` runs; serve, on its own machine, reports
 * exports that fail there (status, dashboard).
 */
export async function checkOutDir(outDir: string, name: string): Promise<void> {
  const fix = `--out names a directory (made if missing) that receives ${name}/evolve.csv, e.g. --out runs/evolve`;
  for (let dir = join(outDir, name); ; dir = dirname(dir)) {
    const found = await stat(dir).catch((error: NodeJS.ErrnoException) => (error.code === 'ENOENT' || error.code === 'ENOTDIR' ? null : error));
    if (found instanceof Error) throw new ConfigError(`--out ${outDir}: cannot look at ${dir} (${found.code ?? found.message}); ${fix}`);
    if (found !== null) {
      if (!found.isDirectory()) throw new ConfigError(`--out ${outDir}: ${dir} is a file, not a directory; ${fix}`);
      await access(dir, constants.W_OK | constants.X_OK).catch(() => {
        throw new ConfigError(`--out ${outDir}: ${dir} cannot be written by this user; choose a directory you can write, or fix its permissions (${fix})`);
      });
      return;
    }
    if (dirname(dir) === dir) return;
  }
}
