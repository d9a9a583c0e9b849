import { readFileSync } from 'node:fs';
import type { RedisClient } from '@hyperevolve/runtime';

const SCRIPTS = {
  hyperevolveRenewGpuLease: readFileSync(new URL('./renew-gpu-lease-1.lua', import.meta.url), 'utf8'),
  hyperevolveReleaseGpuLease: readFileSync(new URL('./release-gpu-lease-1.lua', import.meta.url), 'utf8'),
} as const;

type ScriptName = keyof typeof SCRIPTS;
type LeaseCommand = (key: string, ...args: string[]) => Promise<[number, string]>;

export type RenewOutcome =
  | { readonly kind: 'extended' }
  | { readonly kind: 'retaken' }
  | { readonly kind: 'held-by-other'; readonly holder: string };

export type ReleaseOutcome =
  | { readonly kind: 'released' }
  | { readonly kind: 'absent' }
  | { readonly kind: 'held-by-other'; readonly holder: string };

const RENEW_CODES: Record<number, (holder: string) => RenewOutcome> = {
  1: () => ({ kind: 'extended' }),
  2: () => ({ kind: 'retaken' }),
  [-1]: (holder) => ({ kind: 'held-by-other', holder }),
};

const RELEASE_CODES: Record<number, (holder: string) => ReleaseOutcome> = {
  1: () => ({ kind: 'released' }),
  0: () => ({ kind: 'absent' }),
  [-1]: (holder) => ({ kind: 'held-by-other', holder }),
};

/** The GPU lease operations on one connection: take (SET NX PX), renew and release (Lua, compare first). */
export class LeaseScripts {
  readonly #redis: RedisClient;

  constructor(redis: RedisClient) {
    for (const [name, lua] of Object.entries(SCRIPTS)) {
      if (!(name in redis)) redis.defineCommand(name, { numberOfKeys: 1, lua });
    }
    this.#redis = redis;
  }

  /** Set-if-absent with a TTL: true when this holder now has the lease. */
  async take(key: string, holder: string, ttlMs: number): Promise<boolean> {
    return (await this.#redis.set(key, holder, 'PX', ttlMs, 'NX')) === 'OK';
  }

  /** The current holder, or undefined when nobody holds it. */
  async holder(key: string): Promise<string | undefined> {
    return (await this.#redis.get(key)) ?? undefined;
  }

  async renew(key: string, holder: string, ttlMs: number): Promise<RenewOutcome> {
    const [code, current] = await this.#call('hyperevolveRenewGpuLease', key, holder, String(ttlMs));
    const outcome = RENEW_CODES[code];
    if (outcome === undefined) throw new Error(`renew-gpu-lease-1.lua returned unknown code ${code}`);
    return outcome(current);
  }

  async release(key: string, holder: string): Promise<ReleaseOutcome> {
    const [code, current] = await this.#call('hyperevolveReleaseGpuLease', key, holder);
    const outcome = RELEASE_CODES[code];
    if (outcome === undefined) throw new Error(`release-gpu-lease-1.lua returned unknown code ${code}`);
    return outcome(current);
  }

  async #call(name: ScriptName, key: string, ...args: string[]): Promise<[number, string]> {
    const command = (this.#redis as unknown as Record<string, LeaseCommand>)[name];
    if (command === undefined) throw new Error(`${name} is not defined on this Redis connection`);
    const [code, holder] = await command.call(this.#redis, key, ...args);
    return [Number(code), String(holder)];
  }
}
