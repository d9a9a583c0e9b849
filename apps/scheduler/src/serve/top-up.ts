import type { Logger } from 'pino';
import { globalKeys } from '@hyperevolve/contract';
import type { CampaignStore } from '../campaign/campaign-store.js';
import type { Queues } from '../campaign/queues.js';
import type { Breeder } from './breeder.js';
import type { RedisClient } from '@hyperevolve/runtime';

/** A worker whose heartbeat is older than this is not counted as available. */
export const WORKER_STALE_MS = 10_000;

/**
 * Keeps about one waiting trial per idle worker, plus a look-ahead. Candidates are bred
 * here, at the last moment, so each one sees the freshest population.
 *
 * While results wait to be recorded, only a kick that follows a recording may breed: the
 * recorder kicks again after each result, and breeding before a pending result is recorded
 * would use a population that is about to change (and would make a 1-worker run depend on
 * timing instead of on its seed).
 */
export class TopUp {
  readonly #redis: RedisClient;
  readonly #store: CampaignStore;
  readonly #queues: Queues;
  readonly #breeder: Breeder;
  readonly #log: Logger;
  readonly #lookahead: number;
  #running: Promise<void> | null = null;
  #again = false;
  #againAfterRecord = false;
  #rotation = 0;

  constructor(options: { redis: RedisClient; store: CampaignStore; queues: Queues; breeder: Breeder; log: Logger; lookahead: number }) {
    this.#redis = options.redis;
    this.#store = options.store;
    this.#queues = options.queues;
    this.#breeder = options.breeder;
    this.#log = options.log;
    this.#lookahead = options.lookahead;
  }

  /** Asks for a top-up; concurrent kicks coalesce into one more pass. */
  kick(afterRecord = false): void {
    if (this.#running !== null) {
      this.#again = true;
      this.#againAfterRecord ||= afterRecord;
      return;
    }
    this.#running = this.#loop(afterRecord)
      .catch((error: unknown) => this.#log.warn({ err: error }, 'top-up failed; will retry on the next tick'))
      .finally(() => {
        this.#running = null;
      });
  }

  /** Resolves when the current pass (if any) is over. */
  async idle(): Promise<void> {
    while (this.#running !== null) await this.#running;
  }

  async #loop(afterRecord: boolean): Promise<void> {
    let fromRecord = afterRecord;
    for (;;) {
      await this.#once(fromRecord);
      if (!this.#again) return;
      fromRecord = this.#againAfterRecord;
      this.#again = false;
      this.#againAfterRecord = false;
    }
  }

  async #once(afterRecord: boolean): Promise<void> {
    if (!afterRecord) {
      const pending = await this.#queues.results.getJobCounts('waiting', 'active', 'prioritized');
      if ((pending.waiting ?? 0) + (pending.active ?? 0) + (pending.prioritized ?? 0) > 0) return;
    }
    const [counts, alive, names] = await Promise.all([
      this.#queues.trials.getJobCounts('waiting', 'prioritized', 'active'),
      this.#redis.zcount(globalKeys(this.#store.prefix).workers, Date.now() - WORKER_STALE_MS, '+inf'),
      this.#runningCampaigns(),
    ]);
    const idle = Math.max(0, alive - (counts.active ?? 0));
    let deficit = idle + this.#lookahead - (counts.waiting ?? 0) - (counts.prioritized ?? 0);
    if (deficit <= 0 || names.length === 0) return;
    const start = this.#rotation++ % names.length;
    const order = [...names.slice(start), ...names.slice(0, start)];
    // Each campaign gets an even share, bred and issued in one batch; what a campaign cannot
    // take (budget, status) goes round again to the others.
    let progressed = true;
    while (deficit > 0 && progressed) {
      progressed = false;
      const share = Math.ceil(deficit / order.length);
      for (const name of order) {
        if (deficit <= 0) break;
        const issued = await this.#breeder.issueMany(name, Math.min(share, deficit));
        deficit -= issued;
        if (issued > 0) progressed = true;
      }
    }
  }

  async #runningCampaigns(): Promise<string[]> {
    const names = await this.#store.listNames();
    const statuses = await Promise.all(names.map((name) => this.#redis.hget(this.#store.keys(name).state, 'status')));
    return names.filter((_, i) => statuses[i] === 'running');
  }
}
