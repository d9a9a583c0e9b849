import {
  CampaignConfigSchema,
  CampaignStateSchema,
  DiskUseSchema,
  campaignKeys,
  describeZodError,
  globalKeys,
  type CampaignConfig,
  type CampaignKeys,
  type CampaignState,
  type DiskUse,
} from '@hyperevolve/contract';
import { SINCE_BEST_HORIZON } from '@hyperevolve/ga-core';
import { TrialStore } from '@hyperevolve/trial-store';
import { CorruptStateError } from '../errors.js';
import { setCampaignStatus } from '../redis/scripts.js';
import type { RedisClient } from '@hyperevolve/runtime';

/** A campaign as the breeder sees it at one moment (CampaignStore.readBreedingView). */
export interface BreedingView {
  status: string | null;
  budget: number;
  recorded: number;
  nextIndex: number;
  inflight: number;
  populationSize: number;
  /** The top of the population, best first. */
  ranked: { id: number; fitness: number }[];
  /** Trials recorded after the best one (campaign state's bestTrial), counted up to SINCE_BEST_HORIZON. */
  sinceBest: number;
}

/**
 * Reads and writes campaign configs and states. A config never changes after creation (only
 * the budget, which lives in the state), so its parsed form is kept; but a campaign can be
 * created again after Redis lost it, so each read compares the stored text with the kept one.
 */
export class CampaignStore {
  readonly #redis: RedisClient;
  readonly #prefix: string;
  readonly #configs = new Map<string, { raw: string; config: CampaignConfig }>();
  /** The campaigns' trials: every read and write of a trial hash goes through it. */
  readonly trials: TrialStore;

  constructor(redis: RedisClient, prefix: string) {
    this.#redis = redis;
    this.#prefix = prefix;
    this.trials = new TrialStore(redis, prefix);
  }

  get prefix(): string {
    return this.#prefix;
  }

  keys(name: string): CampaignKeys {
    return campaignKeys(this.#prefix, name);
  }

  async listNames(): Promise<string[]> {
    const names = await this.#redis.smembers(globalKeys(this.#prefix).campaigns);
    return names.sort();
  }

  /** Campaigns `scheduler delete` removed (their names not used again since): their files are not those of a lost campaign. */
  async deletedNames(): Promise<Set<string>> {
    return new Set(await this.#redis.hkeys(globalKeys(this.#prefix).deleted));
  }

  async readConfig(name: string): Promise<CampaignConfig | null> {
    const key = this.keys(name).config;
    const raw = await this.#redis.get(key);
    if (raw === null) return null;
    const cached = this.#configs.get(name);
    if (cached?.raw === raw) return cached.config;
    const config = parseConfig(key, raw);
    this.#configs.set(name, { raw, config });
    return config;
  }

  /** The indices of the campaign's `last` failed trials, oldest first ([] for last 0). */
  async readFailedIndices(name: string, last: number): Promise<number[]> {
    return last > 0 ? (await this.#redis.lrange(this.keys(name).failures, -last, -1)).map(Number) : [];
  }

  /** Pauses a running campaign (set-status-1.lua); false when it is not running. */
  async pause(name: string, reason: string): Promise<boolean> {
    return (await setCampaignStatus(this.#redis, this.#prefix, name, 'pause', reason)).ok;
  }

  /** The trial index the campaign's issued hash holds for a hyp fingerprint (issuedKey), or null. */
  async readIssuedIndex(name: string, fingerprint: string): Promise<number | null> {
    const index = await this.#redis.hget(this.keys(name).issued, fingerprint);
    return index === null ? null : Number(index);
  }

  async readState(name: string): Promise<CampaignState | null> {
    const key = this.keys(name).state;
    const raw = await this.#redis.hgetall(key);
    if (Object.keys(raw).length === 0) return null;
    return parseState(key, raw);
  }

  /**
   * What the breeder decides from, read in one MULTI so it is one consistent view: the
   * campaign's status and counters, its in-flight and population sizes, and the top `poolSize`
   * of the population (best first).
   */
  async readBreedingView(name: string, poolSize: number): Promise<BreedingView> {
    const keys = this.keys(name);
    const replies = await this.#redis
      .multi()
      .hmget(keys.state, 'status', 'budget', 'recorded', 'nextIndex', 'bestTrial')
      .scard(keys.inflight)
      .zcard(keys.population)
      .zrevrange(keys.population, 0, poolSize - 1, 'WITHSCORES')
      .lrange(keys.rows, -(SINCE_BEST_HORIZON + 1), -1)
      .exec();
    if (replies === null) throw new Error('snapshot transaction was aborted');
    for (const [error] of replies) if (error !== null) throw error;
    const [status, budget, recorded, nextIndex, bestTrial] = replies[0]?.[1] as (string | null)[];
    const recent = replies[4]?.[1] as string[];
    const bestAt = bestTrial === null || bestTrial === undefined ? -1 : recent.lastIndexOf(bestTrial);
    const flat = replies[3]?.[1] as string[];
    const ranked: { id: number; fitness: number }[] = [];
    for (let i = 0; i < flat.length; i += 2) ranked.push({ id: Number(flat[i]), fitness: Number(flat[i + 1]) });
    return {
      status: status ?? null,
      budget: Number(budget ?? 0),
      recorded: Number(recorded ?? 0),
      nextIndex: Number(nextIndex ?? 0),
      inflight: Number(replies[1]?.[1] ?? 0),
      populationSize: Number(replies[2]?.[1] ?? 0),
      ranked,
      sinceBest: bestAt < 0 ? Math.min(recent.length, SINCE_BEST_HORIZON) : recent.length - 1 - bestAt,
    };
  }

  /** The `count` best succeeded trials, best first. */
  async readTop(name: string, count: number): Promise<{ index: number; fitness: number }[]> {
    const flat = await this.#redis.zrevrange(this.keys(name).population, 0, count - 1, 'WITHSCORES');
    const top: { index: number; fitness: number }[] = [];
    for (let i = 0; i + 1 < flat.length; i += 2) top.push({ index: Number(flat[i]), fitness: Number(flat[i + 1]) });
    return top;
  }

  /**
   * The workers' reports of the bytes the campaign's run directories take (one per host and
   * workdir). A report that does not parse is left out: it is advice, and the next one replaces it.
   */
  async readDiskUse(name: string): Promise<DiskUse[]> {
    const raw = await this.#redis.hgetall(this.keys(name).disk);
    return Object.values(raw).flatMap((text) => {
      try {
        const parsed = DiskUseSchema.safeParse(JSON.parse(text));
        return parsed.success ? [parsed.data] : [];
      } catch {
        return [];
      }
    });
  }

  /** The recorded trials' indices in recording order (evolve.csv's rows), from row `from` on. */
  async readRowIndices(name: string, from = 0): Promise<number[]> {
    return (await this.#redis.lrange(this.keys(name).rows, from, -1)).map(Number);
  }

  /**
   * The trial indices `status` counts and lists: those issued and not yet final (inflight),
   * the last `failures` that failed and the last `recorded` recorded, oldest first.
   */
  async readRecentIndices(name: string, failures: number, recorded: number): Promise<{ inflight: number[]; failed: number[]; recorded: number[] }> {
    const keys = this.keys(name);
    const [inflight, failed, rows] = await Promise.all([
      this.#redis.smembers(keys.inflight),
      failures > 0 ? this.#redis.lrange(keys.failures, -failures, -1) : [],
      this.#redis.lrange(keys.rows, -recorded, -1),
    ]);
    return { inflight: inflight.map(Number), failed: failed.map(Number), recorded: rows.map(Number) };
  }
}

function parseConfig(key: string, raw: string): CampaignConfig {
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch (error) {
    throw new CorruptStateError(key, 'it is not JSON', { cause: error });
  }
  const parsed = CampaignConfigSchema.safeParse(json);
  if (!parsed.success) throw new CorruptStateError(key, describeZodError(parsed.error));
  return parsed.data;
}

function parseState(key: string, raw: Record<string, string>): CampaignState {
  const parsed = CampaignStateSchema.safeParse(raw);
  if (!parsed.success) throw new CorruptStateError(key, describeZodError(parsed.error));
  return parsed.data;
}
