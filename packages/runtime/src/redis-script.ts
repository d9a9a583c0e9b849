import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { ChainableCommander } from 'ioredis';
import type { RedisClient } from './redis-connection.js';
import { scriptCodeName, type ScriptCodeName } from './script-code.js';

/** A Lua script as its wrapper declares it: `<what>-<number of keys>.lua` beside the code that owns its keys. */
export interface ScriptSpec<C extends ScriptCodeName> {
  /** Unique across the installation: the client command is `he_<name>`. */
  readonly name: string;
  /** `new URL('./<what>-<keys>.lua', import.meta.url)` (the build keeps its folder path). */
  readonly file: URL;
  readonly keys: number;
  /** The codes its header lists ({@link ScriptCode}); any other reply is an error naming the script. */
  readonly codes: readonly C[];
}

/** A script's reply: its code and the values after it. */
export interface ScriptReply<C extends ScriptCodeName> {
  readonly code: C;
  readonly values: readonly unknown[];
}

type Call = (...args: (string | number)[]) => Promise<unknown>;

/** Scripts made in this process, by name: two with one name would define one client command. */
const byName = new Map<string, string>();

/**
 * The one way to run a Lua script: defined once per client (EVALSHA, falling back to EVAL after
 * a Redis restart or failover, as ioredis does), run alone or queued in a pipeline or MULTI, its
 * reply decoded into one of the codes it declares. The file is read on first use.
 */
export class RedisScript<C extends ScriptCodeName> {
  readonly name: string;
  readonly keys: number;
  readonly file: URL;
  readonly #codes: ReadonlySet<ScriptCodeName>;
  readonly #command: string;
  #lua: string | undefined;
  readonly #defined = new WeakSet<object>();

  constructor(spec: ScriptSpec<C>) {
    const path = fileURLToPath(spec.file);
    const other = byName.get(spec.name);
    if (other !== undefined && other !== path) {
      throw new Error(`two Redis scripts are named ${spec.name} (${other} and ${path}); each needs its own name, since the name is the client command`);
    }
    const keysInName = /-(\d+)\.lua$/.exec(path)?.[1];
    if (keysInName === undefined || Number(keysInName) !== spec.keys) {
      throw new Error(`Redis script ${path} is declared with ${spec.keys} keys; its file name must end in -${spec.keys}.lua`);
    }
    byName.set(spec.name, path);
    this.name = spec.name;
    this.keys = spec.keys;
    this.file = spec.file;
    this.#codes = new Set(spec.codes);
    this.#command = `he_${spec.name}`;
  }

  /** The codes this script declares. */
  get codes(): readonly C[] {
    return [...this.#codes] as C[];
  }

  /**
   * Defines the script on a client (once). A pipeline or MULTI knows the scripts its client had
   * when it was made, so components define theirs when they get the client.
   */
  define(redis: RedisClient): void {
    if (this.#defined.has(redis)) return;
    this.#lua ??= readFileSync(this.file, 'utf8');
    redis.defineCommand(this.#command, { numberOfKeys: this.keys, lua: this.#lua });
    this.#defined.add(redis);
  }

  /** Runs the script (`keys` exactly {@link keys} long) and decodes its reply. */
  async run(redis: RedisClient, keys: readonly string[], args: readonly (string | number)[]): Promise<ScriptReply<C>> {
    this.define(redis);
    return this.decode(await this.#on(redis)(...keys, ...args));
  }

  /** Queues the script in a pipeline or MULTI made from a client it was {@link define}d on; {@link decode} its reply. */
  queue(pipeline: ChainableCommander, keys: readonly string[], args: readonly (string | number)[]): void {
    void this.#on(pipeline)(...keys, ...args);
  }

  /** A raw reply `{ code, …values }` → its code's name and the values; anything else is an error naming the script. */
  decode(raw: unknown): ScriptReply<C> {
    const first: unknown = Array.isArray(raw) ? raw[0] : undefined;
    const name = typeof first === 'number' ? scriptCodeName(first) : undefined;
    if (name === undefined || !this.#codes.has(name)) {
      throw new Error(`Redis script ${this.name} (${fileURLToPath(this.file)}) answered ${JSON.stringify(raw)}; it declares the codes ${[...this.#codes].join(', ')}: the script and its wrapper disagree, fix whichever is wrong`);
    }
    return { code: name as C, values: (raw as unknown[]).slice(1) };
  }

  #on(target: RedisClient | ChainableCommander): Call {
    const fn = (target as unknown as Record<string, Call | undefined>)[this.#command];
    if (fn === undefined) throw new Error(`script ${this.name} is not defined on this client; define it before making the pipeline`);
    return fn.bind(target);
  }
}
