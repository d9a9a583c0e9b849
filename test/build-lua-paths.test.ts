import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyLua, luaPathsPlugin } from '../scripts/lua-assets.mjs';

/**
 * The bundle finds each Lua script in its own folder (scripts/build.mjs): two scripts with one
 * file name in different folders stay two scripts. Flattened into dist/, one overwrote the other
 * and both wrappers ran the same Lua.
 */
describe('build: Lua scripts keep their folder paths', () => {
  let root: string;

  const write = async (path: string, text: string) => {
    await mkdir(dirname(join(root, path)), { recursive: true });
    await writeFile(join(root, path), text);
  };
  const reader = (name: string) => `import { readFileSync } from 'node:fs';\nexport const ${name} = readFileSync(new URL('./same-1.lua', import.meta.url), 'utf8');\n`;

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'he-build-lua-'));
    await write('apps/one/src/redis/same-1.lua', "return {1, 'app'}\n");
    await write('apps/one/src/redis/app-script.ts', reader('app'));
    await write('packages/store/src/same-1.lua', "return {1, 'store'}\n");
    await write('packages/store/src/store-script.ts', reader('store'));
    await write('apps/one/src/main.ts', "import { app } from './redis/app-script.js';\nimport { store } from '../../../packages/store/src/store-script.js';\nprocess.stdout.write(JSON.stringify([app, store]));\n");
  });

  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('bundles two same-named scripts from two folders, and each wrapper reads its own', async () => {
    const dist = join(root, 'apps', 'one', 'dist');
    await build({
      entryPoints: [join(root, 'apps', 'one', 'src', 'main.ts')],
      outfile: join(dist, 'main.mjs'),
      bundle: true,
      platform: 'node',
      format: 'esm',
      logLevel: 'silent',
      plugins: [luaPathsPlugin(root)],
    });
    await copyLua(root, [join(root, 'apps', 'one', 'src'), join(root, 'packages', 'store', 'src')], dist);
    const out = execFileSync(process.execPath, [join(dist, 'main.mjs')], { encoding: 'utf8' });
    expect(JSON.parse(out)).toEqual(["return {1, 'app'}\n", "return {1, 'store'}\n"]);
  });

  it('refuses a Lua file named any other way, naming the source and the fix', async () => {
    await write('apps/two/src/main.ts', "const file = 'x-1.lua';\nexport const url = new URL(`./${file}`, import.meta.url);\nexport const other = new URL('./' + 'y-1.lua', import.meta.url);\n");
    await expect(
      build({ entryPoints: [join(root, 'apps', 'two', 'src', 'main.ts')], outfile: join(root, 'apps', 'two', 'dist', 'main.mjs'), bundle: true, platform: 'node', format: 'esm', logLevel: 'silent', plugins: [luaPathsPlugin(root)] }),
    ).rejects.toThrow(/apps\/two\/src\/main\.ts names a \.lua file other than as new URL\('\.\/<name>\.lua', import\.meta\.url\)/);
  });
});
