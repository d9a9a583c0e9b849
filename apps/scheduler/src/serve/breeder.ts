import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { TOP_N, breedCandidate, hypFingerprint, trialRng, type Hyp, type Scored } from '@hyperevolve/ga-core';
import { HypSchema, type CampaignConfig, type CampaignKeys } from '@hyperevolve/contract';
import type { CampaignStore } from '../campaign/campaign-store.js';
import { addTrialJob, type Queues } from '../campaign/queues.js';
import { issueTrial } from '../redis/scripts.js';

interface Snapshot {
  status: string | null;
  budget: number;
  recorded: number;
  nextIndex: number;
  inflight: number;
  populationSize: number;
  top: Scored[];
}

const MAX_SNAPSHOTS = 20;
const MAX_DUPLICATES = 200;

/**
 * Breeds one candidate from the population as it is now and issues it as a trial.
 * Each candidate's randomness is the stream of (campaign seed, trial index), so a candidate
 * bred again after a lost race (another replica took the index) is bred afresh from the
 * newer population with the next index's stream.
 */
export class Breeder {
  readonly #redis: Redis;
  readonly #store: CampaignStore;
  readonly #queues: Queues;
  readonly #log: Logger;

  constructor(redis: Redis, store: CampaignStore, queues: Queues, log: Logger) {
    this.#redis = redis;
    this.#store = store;
    this.#queues = queues;
    this.#log = log;
  }

  /** Returns the issued trial index, or null when the campaign cannot take one more trial now. */
  async issueOne(name: string): Promise<number | null> {
    const config = await this.#store.readConfig(name);
    if (config === null) return null;
    const keys = this.#store.keys(name);
    for (let round = 0; round < MAX_SNAPSHOTS; round++) {
      const snap = await this.#snapshot(keys);
      if (snap.status !== 'running' || snap.recorded + snap.inflight >= snap.budget) return null;
      const outcome = await this.#breedAndIssue(config, keys, snap);
      if (outcome !== 'stale') return outcome;
    }
    this.#log.warn({ campaign: name }, 'lost the race for a trial index many times in a row; will retry on the next tick');
    return null;
  }

  async #breedAndIssue(config: CampaignConfig, keys: CampaignKeys, snap: Snapshot): Promise<number | null | 'stale'> {
    const rng = trialRng(config.seed, snap.nextIndex);
    const rejected = new Set<string>();
    for (let draw = 0; draw < MAX_DUPLICATES; draw++) {
      const candidate = breedCandidate({
        base: config.baseHyp,
        space: config.space,
        population: snap.top,
        strategy: config.parentStrategy,
        rng,
        first: snap.nextIndex === 0,
        isDuplicate: (hyp) => rejected.has(hypFingerprint(hyp)),
      });
      const fingerprint = hypFingerprint(candidate.hyp);
      const issued = await issueTrial(this.#redis, keys, snap.nextIndex, fingerprint, {
        index: snap.nextIndex,
        status: 'queued',
        origin: candidate.origin,
        hyp: JSON.stringify(candidate.hyp),
        parents: JSON.stringify(candidate.parentIds),
        pool: JSON.stringify(candidate.pool),
        poolSize: snap.populationSize,
        draws: candidate.draws + draw,
        createdAt: Date.now(),
      });
      if (issued.ok) {
        await addTrialJob(this.#queues, config, issued.index, candidate.hyp);
        return issued.index;
      }
      if (issued.reason === 'duplicate') {
        rejected.add(fingerprint);
        continue;
      }
      if (issued.reason === 'stale-index') return 'stale';
      return null;
    }
    this.#log.error({ campaign: config.name }, `no new candidate after ${MAX_DUPLICATES} duplicates; the search space may be too narrow`);
    return null;
  }

  /** One consistent view: state, in-flight count and the top of the population, read in one MULTI. */
  async #snapshot(keys: CampaignKeys): Promise<Snapshot> {
    const replies = await this.#redis
      .multi()
      .hmget(keys.state, 'status', 'budget', 'recorded', 'nextIndex')
      .scard(keys.inflight)
      .zcard(keys.population)
      .zrevrange(keys.population, 0, TOP_N - 1, 'WITHSCORES')
      .exec();
    if (replies === null) throw new Error('snapshot transaction was aborted');
    for (const [error] of replies) if (error !== null) throw error;
    const [status, budget, recorded, nextIndex] = replies[0]?.[1] as (string | null)[];
    const ranked = replies[3]?.[1] as string[];
    const ids: number[] = [];
    const scores: number[] = [];
    for (let i = 0; i < ranked.length; i += 2) {
      ids.push(Number(ranked[i]));
      scores.push(Number(ranked[i + 1]));
    }
    const hyps = ids.length === 0 ? [] : await this.#readHyps(keys, ids);
    return {
      status: status ?? null,
      budget: Number(budget ?? 0),
      recorded: Number(recorded ?? 0),
      nextIndex: Number(nextIndex ?? 0),
      inflight: Number(replies[1]?.[1] ?? 0),
      populationSize: Number(replies[2]?.[1] ?? 0),
      top: ids.map((id, i) => ({ id, fitness: scores[i] ?? Number.NaN, hyp: hyps[i] ?? {} })),
    };
  }

  async #readHyps(keys: CampaignKeys, ids: number[]): Promise<Hyp[]> {
    const pipeline = this.#redis.pipeline();
    for (const id of ids) pipeline.hget(keys.trial(id), 'hyp');
    const replies = (await pipeline.exec()) ?? [];
    return replies.map(([error, raw], i) => {
      if (error !== null || typeof raw !== 'string') throw new Error(`trial ${ids[i]} of the population has no hyp`, { cause: error });
      return HypSchema.parse(JSON.parse(raw));
    });
  }
}
