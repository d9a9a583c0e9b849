import { campaignKeys } from '@hyperevolve/contract';
import type { RedisClient } from '@hyperevolve/runtime';

/** How long a mark lives unless renewed: a scheduler that died stops serving this much later at most. */
export const SERVED_MARK_MS = 5000;
/** How often a campaign's mark is renewed while the top-up sees it running. */
const RENEW_MS = 1000;

/**
 * The `served` mark of each campaign this scheduler serves: a worker records its own succeeded
 * runs only while the mark is there (record-result's `whileServed`), so a run is recorded by a
 * worker only while some scheduler will hear of it and export it. Marks are set from the
 * top-up's passes (every tick), and taken away at a graceful stop before the last export: what
 * a worker records after that waits, posted, for the next scheduler.
 */
export class ServedMarks {
  readonly #redis: RedisClient;
  readonly #prefix: string;
  /** Campaign → when its mark was last set. */
  readonly #marked = new Map<string, number>();
  #cleared = false;

  constructor(redis: RedisClient, prefix: string) {
    this.#redis = redis;
    this.#prefix = prefix;
  }

  /**
   * The campaigns the top-up saw running now: their marks are set, or renewed when due. A mark
   * not renewed for twice {@link SERVED_MARK_MS} (its campaign ended, paused or went) has
   * expired in Redis, even one whose SET waited out a reconnect, and is forgotten here, so a
   * scheduler that served hundreds of campaigns does not take hundreds of marks off, nor write
   * their files again, when it stops.
   */
  renew(running: readonly string[]): void {
    if (this.#cleared) return;
    const now = Date.now();
    // A mark whose renewal failed (time 0) is kept: it may be in Redis, and a stop takes it off.
    for (const [name, at] of this.#marked) if (at > 0 && now - at > 2 * SERVED_MARK_MS) this.#marked.delete(name);
    const due = running.filter((name) => now - (this.#marked.get(name) ?? 0) >= RENEW_MS);
    if (due.length === 0) return;
    for (const name of due) this.#marked.set(name, now);
    // One campaign key each (slots of their own on a Redis Cluster): plain commands, not one MULTI.
    // A failed renewal is tried again at the next pass; the name stays, so a stop still takes the mark off.
    for (const name of due) void this.#redis.set(campaignKeys(this.#prefix, name).served, '1', 'PX', SERVED_MARK_MS).catch(() => this.#marked.set(name, 0));
  }

  /** The campaigns this scheduler has marked. */
  names(): string[] {
    return [...this.#marked.keys()];
  }

  /** Takes this scheduler's marks away for good. */
  async clear(): Promise<void> {
    this.#cleared = true;
    await Promise.all(this.names().map((name) => this.#redis.del(campaignKeys(this.#prefix, name).served)));
  }
}
