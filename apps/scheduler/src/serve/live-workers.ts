import { decodeAllowedCommands, globalKeys, type AllowedCommands } from '@hyperevolve/contract';
import type { RedisClient } from '@hyperevolve/runtime';

/** A worker whose heartbeat is older than this is not counted as available. */
export const WORKER_STALE_MS = 10_000;

export interface LiveWorker {
  id: string;
  /** null: the worker publishes no allow-list (an older worker); it may run anything as far as we know. */
  allowed: AllowedCommands | null;
}

/**
 * The workers alive now, with the commands each may run. A worker id names one process and
 * device, whose allow-list is fixed for its life: each list is read once and kept while the
 * worker beats, so a top-up pass costs one ZRANGEBYSCORE.
 */
export class LiveWorkers {
  readonly #redis: RedisClient;
  readonly #prefix: string;
  readonly #allowed = new Map<string, AllowedCommands>();

  constructor(redis: RedisClient, prefix: string) {
    this.#redis = redis;
    this.#prefix = prefix;
  }

  async read(now = Date.now()): Promise<LiveWorker[]> {
    const keys = globalKeys(this.#prefix);
    const ids = await this.#redis.zrangebyscore(keys.workers, now - WORKER_STALE_MS, '+inf');
    const unknown = ids.filter((id) => !this.#allowed.has(id));
    if (unknown.length > 0) {
      // One command per worker hash (they live in different cluster slots), sent together.
      const replies = await Promise.all(unknown.map((id) => this.#redis.hget(keys.worker(id), 'allow')));
      unknown.forEach((id, i) => {
        const allowed = decodeAllowedCommands(replies[i]);
        // Not kept when unreadable: the hash may have expired between the two reads.
        if (allowed !== null) this.#allowed.set(id, allowed);
      });
    }
    const alive = new Set(ids);
    for (const id of this.#allowed.keys()) if (!alive.has(id)) this.#allowed.delete(id);
    return ids.map((id) => ({ id, allowed: this.#allowed.get(id) ?? null }));
  }
}
