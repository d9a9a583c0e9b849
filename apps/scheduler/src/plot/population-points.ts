import type { CampaignStore } from '../campaign/campaign-store.js';
import type { PopulationPoint } from './evolve-panels.js';
import type { RedisClient } from '@hyperevolve/runtime';

const BATCH = 1000;

interface Cached {
  createdAt: number;
  points: PopulationPoint[];
}

/**
 * Every recorded row of a campaign (evolve.csv's rows, in recording order) with its fitness
 * and hyps, for the plots. Rows are only ever appended, so each read fetches just the new
 * ones; a campaign re-created under the same name starts afresh.
 */
export class PopulationPoints {
  readonly #redis: RedisClient;
  readonly #store: CampaignStore;
  readonly #cache = new Map<string, Cached>();
  readonly #reading = new Map<string, Promise<readonly PopulationPoint[]>>();

  constructor(redis: RedisClient, store: CampaignStore) {
    this.#redis = redis;
    this.#store = store;
  }

  /** The rows recorded so far; concurrent callers share one read. */
  async read(name: string): Promise<readonly PopulationPoint[]> {
    let pending = this.#reading.get(name);
    if (pending === undefined) {
      pending = this.#refresh(name).finally(() => this.#reading.delete(name));
      this.#reading.set(name, pending);
    }
    return pending;
  }

  async #refresh(name: string): Promise<readonly PopulationPoint[]> {
    const config = await this.#store.readConfig(name);
    if (config === null) return [];
    const keys = this.#store.keys(name);
    let cached = this.#cache.get(name);
    const total = await this.#redis.llen(keys.rows);
    if (cached === undefined || cached.createdAt !== config.createdAt || cached.points.length > total) {
      cached = { createdAt: config.createdAt, points: [] };
      this.#cache.set(name, cached);
    }
    while (cached.points.length < total) {
      const from = cached.points.length;
      const indices = (await this.#redis.lrange(keys.rows, from, Math.min(total, from + BATCH) - 1)).map(Number);
      if (indices.length === 0) break;
      for (const point of await this.#store.trials.readPoints(name, indices)) {
        cached.points.push({ ...point, finishedAt: point.finishedAt ?? config.createdAt });
      }
    }
    return cached.points.slice();
  }
}
