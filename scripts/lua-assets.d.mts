import type { Plugin } from 'esbuild';

export function luaPathsPlugin(root: string): Plugin;
export function copyLua(root: string, dirs: readonly string[], dist: string): Promise<void>;
