import { RedisScript, type RedisClient } from '@hyperevolve/runtime';

export const renewGpuLeaseScript = new RedisScript({ name: 'renewGpuLease', file: new URL('./renew-gpu-lease-1.lua', import.meta.url), keys: 1, codes: ['Done', 'Retaken', 'NotHolder'] });
export const releaseGpuLeaseScript = new RedisScript({ name: 'releaseGpuLease', file: new URL('./release-gpu-lease-1.lua', import.meta.url), keys: 1, codes: ['Done', 'Absent', 'NotHolder'] });

export type RenewOutcome =
  | { readonly kind: 'extended' }
  | { readonly kind: 'retaken' }
  | { readonly kind: 'held-by-other'; readonly holder: string };

export type ReleaseOutcome =
  | { readonly kind: 'released' }
  | { readonly kind: 'absent' }
  | { readonly kind: 'held-by-other'; readonly holder: string };

/** The GPU lease operations on one connection: take (SET NX PX), renew and release (Lua, compare first). */
export class LeaseScripts {
  readonly #redis: RedisClient;

  constructor(redis: RedisClient) {
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
    const { code, values } = await renewGpuLeaseScript.run(this.#redis, [key], [holder, ttlMs]);
    if (code === 'Done') return { kind: 'extended' };
    if (code === 'Retaken') return { kind: 'retaken' };
    return { kind: 'held-by-other', holder: String(values[0]) };
  }

  async release(key: string, holder: string): Promise<ReleaseOutcome> {
    const { code, values } = await releaseGpuLeaseScript.run(this.#redis, [key], [holder]);
    if (code === 'Done') return { kind: 'released' };
    if (code === 'Absent') return { kind: 'absent' };
    return { kind: 'held-by-other', holder: String(values[0]) };
  }
}
