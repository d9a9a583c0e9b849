// The dashboard's browser code (apps/scheduler/src/dashboard, TypeScript) as one script. Used by
// scripts/build.mjs (written to the scheduler's dist/assets) and by a scheduler started from
// source, which bundles it in memory when it serves the page: one set of options for both.
import { join } from 'node:path';
import { build } from 'esbuild';

/**
 * Bundles the dashboard; writes `outfile` when given, and returns the script's text either way.
 * @param {string} root the repository root
 * @param {string} [outfile]
 */
export async function bundleDashboard(root, outfile) {
  const result = await build({
    entryPoints: [join(root, 'apps', 'scheduler', 'src', 'dashboard', 'main.ts')],
    bundle: true,
    platform: 'browser',
    format: 'esm',
    target: 'es2022',
    // The API types come from server code; only type imports cross, so nothing of Node is bundled.
    logLevel: 'warning',
    write: false,
    outfile: outfile ?? 'dashboard.js',
  });
  const [file] = result.outputFiles;
  if (file === undefined) throw new Error('esbuild wrote no dashboard bundle');
  if (outfile !== undefined) {
    const { mkdir, writeFile } = await import('node:fs/promises');
    const { dirname } = await import('node:path');
    await mkdir(dirname(outfile), { recursive: true });
    await writeFile(outfile, file.contents);
  }
  return file.text;
}
