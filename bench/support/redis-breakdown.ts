import { createHash } from 'node:crypto';
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { RedisClient } from '@hyperevolve/runtime';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** The label of the commands Lua scripts ran (their time is part of the scripts'). */
export const INSIDE_SCRIPTS = 'commands inside scripts';

/** One command (or script) as Redis ran it during a run: who sent it, how often, how long. */
export interface CommandCost {
  readonly label: string;
  readonly calls: number;
  readonly micros: number;
}

/**
 * Every command Redis runs is logged (SLOWLOG with a threshold of 0 µs and room for `capacity`
 * entries): {@link RedisBreakdown.read} then says, per command and per Lua script (EVALSHA named
 * by the script's sha: ours from their .lua files, BullMQ's from its script table), how many
 * calls and how many µs of Redis time a run took. Logging itself costs Redis a little, so a run
 * measured this way is not the one whose wall-clock figures are reported.
 */
export class RedisBreakdown {
  readonly #redis: RedisClient;
  readonly #names: Map<string, string>;

  private constructor(redis: RedisClient, names: Map<string, string>) {
    this.#redis = redis;
    this.#names = names;
  }

  static async start(redis: RedisClient, capacity = 1_000_000): Promise<RedisBreakdown> {
    await redis.config('SET', 'slowlog-max-len', String(capacity));
    await redis.config('SET', 'slowlog-log-slower-than', '0');
    await redis.slowlog('RESET');
    return new RedisBreakdown(redis, await scriptNames());
  }

  /** The commands logged since {@link start}, most Redis time first (each client's apart with `byClient`); stops logging. */
  async read(byClient: boolean): Promise<CommandCost[]> {
    await this.#redis.config('SET', 'slowlog-log-slower-than', '-1');
    const entries = (await this.#redis.call('SLOWLOG', 'GET', '-1')) as unknown[][];
    await this.#redis.slowlog('RESET');
    const costs = new Map<string, { calls: number; micros: number }>();
    for (const entry of entries) {
      const micros = Number(entry[2]);
      const args = (entry[3] as unknown[]).map(String);
      const command = (args[0] ?? '?').toLowerCase();
      if (command === 'slowlog' || command === 'config') continue;
      const what = command === 'evalsha' || command === 'eval' ? `script ${this.#script(args[1] ?? '', command)}` : command;
      // A command a script ran is logged too, from the fake client "?:0": its time is inside the script's.
      const inScript = String(entry[4]) === '?:0';
      const label = inScript ? INSIDE_SCRIPTS : byClient ? `${typeof entry[5] === 'string' && entry[5] !== '' ? entry[5] : 'unnamed'} ${what}` : what;
      const cost = costs.get(label) ?? { calls: 0, micros: 0 };
      cost.calls += 1;
      cost.micros += micros;
      costs.set(label, cost);
    }
    return [...costs].map(([label, cost]) => ({ label, ...cost })).sort((a, b) => b.micros - a.micros);
  }

  #script(shaOrBody: string, command: string): string {
    const sha = command === 'eval' ? sha1(shaOrBody) : shaOrBody;
    return this.#names.get(sha) ?? `sha ${sha.slice(0, 8)}`;
  }
}

function sha1(text: string): string {
  return createHash('sha1').update(text).digest('hex');
}

/** sha1 → name of every Lua script the installation may run: ours (*.lua under apps/ and packages/) and BullMQ's. */
async function scriptNames(): Promise<Map<string, string>> {
  const names = new Map<string, string>();
  for (const top of ['apps', 'packages']) {
    for (const file of await luaFiles(join(ROOT, top))) names.set(sha1(await readFile(file, 'utf8')), file.replace(/^.*\//, '').replace(/\.lua$/, ''));
  }
  const bull = join(ROOT, 'node_modules/bullmq/dist/esm/scripts');
  for (const file of (await readdir(bull)).filter((name) => /^[\w-]+-\d+\.js$/.test(name))) {
    const module = (await import(pathToFileURL(join(bull, file)).href)) as Record<string, { name?: string; content?: string } | undefined>;
    for (const script of Object.values(module)) {
      if (typeof script?.content === 'string') names.set(sha1(script.content), `bullmq ${file.replace(/\.js$/, '')}`);
    }
  }
  return names;
}

async function luaFiles(dir: string): Promise<string[]> {
  const found: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name === 'dist') continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) found.push(...(await luaFiles(path)));
    else if (entry.name.endsWith('.lua')) found.push(path);
  }
  return found;
}
