import { releaseHeld, renewHeld, type RedisClient, type ReleaseOutcome, type RenewOutcome } from '@hyperevolve/runtime';

/** The GPU lease operations on one connection: take (SET NX PX), renew and release (runtime's held-key scripts, compare first). */
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

  /** Extends the lease; a lapsed one nobody took is taken again (nobody can be on the GPU without it). */
  async renew(key: string, holder: string, ttlMs: number): Promise<Exclude<RenewOutcome, { kind: 'absent' }>> {
    const outcome = await renewHeld(this.#redis, key, holder, ttlMs, true);
    if (outcome.kind === 'absent') throw new Error(`renew-held answered Absent for ${key} although asked to retake it`);
    return outcome;
  }

  async release(key: string, holder: string): Promise<ReleaseOutcome> {
    return releaseHeld(this.#redis, key, holder);
  }
}
