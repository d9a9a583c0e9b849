#!/usr/bin/env node
// Bundles each app's TypeScript into apps/<app>/dist/main.mjs (workspace packages inlined,
// npm dependencies left external) and copies the files the code reads at run time (Lua,
// page assets, worker-thread entries) beside it. A bundled start is several times faster
// than tsx compiling on the fly, which matters for trainers started per trial and for
// every worker restart. The bins fall back to tsx whenever a source file is newer.
import { cp, mkdir, readdir, readFile, rm, stat } from 'node:fs/promises';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { bundleDashboard } from './dashboard-bundle.mjs';
import { copyLua, luaPathsPlugin } from './lua-assets.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const APPS = ['scheduler', 'worker', 'sim-train'];

/**
 * Left as imports: the app's own npm dependencies and those of the impure shared packages,
 * which npm hoists to the root node_modules. Everything else (ga-core's pure-rand, say,
 * whose hoisted copy may be another major version) is bundled, so the bundle resolves
 * exactly what the sources resolved.
 */
async function externals(app) {
  const manifests = [join(ROOT, 'apps', app, 'package.json'), join(ROOT, 'packages', 'runtime', 'package.json'), join(ROOT, 'packages', 'contract', 'package.json'), join(ROOT, 'packages', 'trial-store', 'package.json')];
  const names = new Set();
  for (const file of manifests) {
    const json = JSON.parse(await readFile(file, 'utf8'));
    for (const name of Object.keys(json.dependencies ?? {})) if (!name.startsWith('@hyperevolve/')) names.add(name);
  }
  return [...names].flatMap((name) => [name, `${name}/*`]);
}

async function* files(dir) {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* files(path);
    else yield path;
  }
}

/**
 * src/http/assets/y.css → dist/assets/y.css: what `new URL('./…', import.meta.url)` finds from the bundle. Lua keeps its folder path (lua-assets.mjs).
 * The dashboard's browser code is bundled on its own (its tsconfig.json is not an asset).
 */
async function copyAssets(src, dist) {
  for await (const path of files(src)) {
    if (path.endsWith('.ts') || path.endsWith('.lua') || path.endsWith('tsconfig.json')) continue;
    const parts = relative(src, path).split(sep);
    const target = join(dist, ...(parts.length > 1 ? parts.slice(1) : parts));
    await mkdir(dirname(target), { recursive: true });
    await cp(path, target);
  }
}

const started = Date.now();
for (const app of APPS) {
  const appDir = join(ROOT, 'apps', app);
  const dist = join(appDir, 'dist');
  await rm(dist, { recursive: true, force: true });
  await build({
    entryPoints: [join(appDir, 'src', 'main.ts')],
    outfile: join(dist, 'main.mjs'),
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    external: await externals(app),
    sourcemap: 'linked',
    logLevel: 'warning',
    plugins: [luaPathsPlugin(ROOT)],
  });
  await copyAssets(join(appDir, 'src'), dist);
  // Workspace packages are bundled in; their run-time files (the trial store's Lua) come along.
  const packageSources = (await readdir(join(ROOT, 'packages'))).map((pkg) => join(ROOT, 'packages', pkg, 'src'));
  for (const src of packageSources) await copyAssets(src, dist);
  await copyLua(ROOT, [join(appDir, 'src'), ...packageSources], dist);
  // The page's script, served as /assets/dashboard.js (page-routes.ts reads it from here).
  if (app === 'scheduler') await bundleDashboard(ROOT, join(dist, 'assets', 'dashboard.js'));
}
const size = (await stat(join(ROOT, 'apps', 'scheduler', 'dist', 'main.mjs'))).size;
process.stdout.write(`built ${APPS.join(', ')} in ${Date.now() - started} ms (scheduler bundle ${Math.round(size / 1024)} KiB)\n`);
