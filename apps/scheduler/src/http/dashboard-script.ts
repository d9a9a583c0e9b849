import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/**
 * The dashboard's script: the bundle scripts/build.mjs wrote beside the scheduler's bundle
 * (`dist/assets/dashboard.js`). A scheduler started from source (an edited checkout runs
 * through tsx, scripts/launch.mjs) has no bundle beside it and bundles the page's TypeScript
 * itself, with the build's own options, so it never serves a stale page.
 */
export async function dashboardScript(assetsDir: string): Promise<Buffer> {
  const built = await readFile(join(assetsDir, 'dashboard.js')).catch((error: unknown) => {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  });
  if (built !== null) return built;
  // From source this file is apps/scheduler/src/http/; the bundler is a dev dependency there.
  const root = fileURLToPath(new URL('../../../../', import.meta.url));
  const bundler = pathToFileURL(join(root, 'scripts', 'dashboard-bundle.mjs')).href;
  const { bundleDashboard } = (await import(bundler)) as { bundleDashboard: (root: string) => Promise<string> };
  return Buffer.from(await bundleDashboard(root));
}
