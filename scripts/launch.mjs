// Starts an app from its bundle (apps/<app>/dist/main.mjs, made by scripts/build.mjs) when the
// bundle is newer than every source file it was built from, else from source through tsx.
// So a fresh `npm ci` starts fast, and an edited checkout never runs stale code.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { requireSupportedNode } from './require-node.mjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

function newestSource(dir, newest = 0) {
  let result = newest;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) result = newestSource(path, result);
    else if (!entry.name.includes('.test.')) result = Math.max(result, statSync(path).mtimeMs);
  }
  return result;
}

function bundleIsFresh(appDir, bundle) {
  if (process.env.HYPEREVOLVE_FROM_SOURCE === '1' || !existsSync(bundle)) return false;
  const built = statSync(bundle).mtimeMs;
  const sources = [join(appDir, 'src'), ...readdirSync(join(ROOT, 'packages')).map((p) => join(ROOT, 'packages', p, 'src'))];
  return sources.every((dir) => !existsSync(dir) || newestSource(dir) <= built);
}

/** @param {string} app the folder name under apps/ */
export async function launch(app) {
  requireSupportedNode(app);
  const appDir = join(ROOT, 'apps', app);
  const bundle = join(appDir, 'dist', 'main.mjs');
  if (bundleIsFresh(appDir, bundle)) {
    await import(pathToFileURL(bundle).href);
    return;
  }
  const { register } = await import('tsx/esm/api');
  register();
  await import(pathToFileURL(join(appDir, 'src', 'main.ts')).href);
}
