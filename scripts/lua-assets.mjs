// Lua scripts in a bundle keep their folder paths: `new URL('./x-1.lua', import.meta.url)` in
// <root>/<dir>/y.ts becomes `new URL('./<dir>/x-1.lua', import.meta.url)` in the bundle, and the
// file is copied to <dist>/<dir>/x-1.lua. Two scripts with one name in different folders stay
// two files (flattened, one would overwrite the other and its wrapper would run the wrong Lua).
import { cp, mkdir, readdir, readFile } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';

const LUA_URL = /new URL\(\s*'\.\/([\w.-]+\.lua)'\s*,\s*import\.meta\.url\s*\)/g;

/** The folder of `file` relative to `root`, with forward slashes (a URL path). */
function folderOf(root, file) {
  return relative(root, dirname(file)).split(sep).join('/');
}

/** An esbuild plugin rewriting each Lua URL of the sources under `root` to its folder path. */
export function luaPathsPlugin(root) {
  return {
    name: 'lua-paths',
    setup(build) {
      build.onLoad({ filter: /\.ts$/ }, async (args) => {
        if (args.path.includes(`${sep}node_modules${sep}`) || relative(root, args.path).startsWith('..')) return undefined;
        const source = await readFile(args.path, 'utf8');
        if (!source.includes('.lua')) return undefined;
        const folder = folderOf(root, args.path);
        const contents = source.replace(LUA_URL, (_, name) => `new URL('./${folder}/${name}', import.meta.url)`);
        // Any other `new URL(… .lua …)` in code (comments aside) would miss the copied file.
        const code = contents.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
        const left = code.replace(/new URL\('\.\/[\w./-]+\.lua', import\.meta\.url\)/g, '');
        if (/new URL\([^)]*\.lua/.test(left)) {
          return { errors: [{ text: `${relative(root, args.path)} names a .lua file other than as new URL('./<name>.lua', import.meta.url); write it that way, so the bundle finds the script in its folder` }] };
        }
        return { contents, loader: 'ts' };
      });
    },
  };
}

async function* luaFiles(dir) {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* luaFiles(path);
    else if (entry.name.endsWith('.lua')) yield path;
  }
}

/** Copies every .lua under `dirs` to `dist`/<its path relative to `root`>. */
export async function copyLua(root, dirs, dist) {
  for (const dir of dirs) {
    for await (const path of luaFiles(dir)) {
      const target = join(dist, relative(root, path));
      await mkdir(dirname(target), { recursive: true });
      await cp(path, target);
    }
  }
}
