import { readFileSync } from 'node:fs';
import type { ChainableCommander } from 'ioredis';
import type { RedisClient } from './redis-connection.js';

/** A Lua script as its wrapper declares it: `<what>-<number of keys>.lua` beside the code that owns its keys. */
export interface ScriptSpec {
  /** Unique across the installation: the client command is `he_<name>`. */
  readonly name: string;
  /** `new URL('./<file>.lua', import.meta.url)`. */
  readonly file: URL;
  readonly keys: number;
}

type Call = (...args: (string | number)[]) => Promise<unknown>;

/**
 * One Lua script on any client: defined once per client (EVALSHA, falling back to EVAL after a
 * Redis restart or failover, as ioredis does), run alone or queued in a pipeline or MULTI.
 * The file is read on first use.
 */
export class RedisScript {
  readonly name: string;
  readonly keys: number;
  readonly #file: URL;
  readonly #command: string;
  #lua: string | undefined;
  readonly #defined = new WeakSet<object>();

  constructor(spec: ScriptSpec) {
    this.name = spec.name;
    this.keys = spec.keys;
    this.#file = spec.file;
    this.#command = `he_${spec.name}`;
  }

  /**
   * Defines the script on a client (once). A pipeline or MULTI knows the scripts its client had
   * when it was made, so components define theirs when they get the client.
   */
  define(redis: RedisClient): void {
    if (this.#defined.has(redis)) return;
    this.#lua ??= readFileSync(this.#file, 'utf8');
    redis.defineCommand(this.#command, { numberOfKeys: this.keys, lua: this.#lua });
    this.#defined.add(redis);
  }

  /** Runs the script: `keys` must be exactly {@link keys} long. */
  async run(redis: RedisClient, keys: readonly string[], args: readonly (string | number)[]): Promise<unknown> {
    this.define(redis);
    return this.#on(redis)(...keys, ...args);
  }

  /** Queues the script in a pipeline or MULTI made from a client it was {@link define}d on. */
  queue(pipeline: ChainableCommander, keys: readonly string[], args: readonly (string | number)[]): void {
    void this.#on(pipeline)(...keys, ...args);
  }

  #on(target: RedisClient | ChainableCommander): Call {
    const fn = (target as unknown as Record<string, Call | undefined>)[this.#command];
    if (fn === undefined) throw new Error(`script ${this.name} is not defined on this client; define it before making the pipeline`);
    return fn.bind(target);
  }
}
