import type { Logger } from 'pino';
import { breedCandidate, configureStrategy, trialRng, type Breeding, type Hyp, type Rng, type Scored } from '@hyperevolve/ga-core';
import type { CampaignConfig, CampaignKeys } from '@hyperevolve/contract';
import type { IssueItem } from '@hyperevolve/trial-store';
import type { BreedingView, CampaignStore } from '../campaign/campaign-store.js';
import { issuedKey } from '../campaign/issued-key.js';
import { addTrialJobs, type Queues } from '../campaign/queues.js';
import { removeQueuedJobs } from '../campaign/remove-queued-jobs.js';
import { BaseRerun } from './base-rerun.js';
import { reportCorruptState } from './corrupt-state-report.js';

/**
 * The breeding view with its ranked trials' hyps read (#snapshot), and the failed base trial
 * whose hyps the candidate at nextIndex is to be again (BaseRerun), or null.
 */
type Snapshot = Omit<BreedingView, 'ranked'> & { top: Scored[]; failedBase: number | null };

type BatchEnd = 'done' | 'stale' | 'refused';

const MAX_SNAPSHOTS = 20;
const MAX_DUPLICATES = 200;

/**
 * Breeds candidates from the population as it is now and issues them as trials, several from
 * one snapshot: a batch costs one snapshot, one pipeline of issue-trial scripts and one BullMQ
 * addBulk, however many workers wait. Each candidate's randomness is the stream of (campaign
 * seed, trial index), so a candidate bred again after a lost race (another replica took the
 * index) is bred afresh from the newer population with the next index's stream.
 */
export class Breeder {
  readonly #store: CampaignStore;
  readonly #queues: Queues;
  readonly #log: Logger;
  /** Hyps of each campaign's last top n, by trial index: a trial's hyps never change once issued. */
  readonly #topHyps = new Map<string, Map<number, Hyp>>();
  readonly #baseRerun: BaseRerun;

  constructor(store: CampaignStore, queues: Queues, log: Logger) {
    this.#store = store;
    this.#baseRerun = new BaseRerun(store);
    this.#queues = queues;
    this.#log = log;
  }

  /**
   * Issues up to `wanted` trials; returns how many it issued (fewer when the campaign cannot
   * take more now). A campaign whose data in Redis is damaged issues nothing and is reported,
   * so the other campaigns go on. `config`: the campaign's config as the caller read it in this
   * pass (a config never changes, but for a campaign created again: a round trip less); read
   * here when not given.
   */
  async issueMany(name: string, wanted: number, config?: CampaignConfig): Promise<number> {
    try {
      return await this.#issueMany(name, wanted, config);
    } catch (error) {
      if (reportCorruptState(this.#log, error, `campaign ${name} gets no new trials`)) return 0;
      throw error;
    }
  }

  async #issueMany(name: string, wanted: number, given: CampaignConfig | undefined): Promise<number> {
    const config = given ?? (await this.#store.readConfig(name));
    if (config === null) return 0;
    // The config was validated on read, its strategy params included.
    const strategy = configureStrategy(config.strategy);
    const keys = this.#store.keys(name);
    const rejected = new Map<number, Set<string>>();
    let issued = 0;
    for (let round = 0; round < MAX_SNAPSHOTS; round++) {
      if (issued >= wanted) return issued;
      const view = await this.#snapshot(name, strategy.poolSize);
      const room = view.budget - view.recorded - view.inflight;
      if (view.status !== 'running' || room <= 0) return issued;
      const base = await this.#baseRerun.verdict(config, view.nextIndex);
      if (base?.kind === 'pause') {
        await this.#pause(name, base.reason);
        return issued;
      }
      const snap = { ...view, failedBase: base === null ? null : base.failed };
      const batch = await this.#breedAndIssue(config, strategy, keys, snap, Math.min(wanted - issued, room), rejected);
      issued += batch.issued;
      if (batch.end !== 'stale') return issued;
    }
    this.#log.warn({ campaign: name }, 'lost the race for a trial index many times in a row; will retry on the next tick');
    return issued;
  }

  /**
   * Breeds `count` candidates for the indices after the snapshot's nextIndex and issues them in
   * order. A candidate another trial already has is drawn again from its own stream (`rejected`
   * remembers it across snapshots); the candidates after it are bred again from their streams'
   * starts, so a batch breeds exactly what one-at-a-time issuing from this snapshot would.
   */
  async #breedAndIssue(config: CampaignConfig, strategy: Breeding, keys: CampaignKeys, snap: Snapshot, count: number, rejected: Map<number, Set<string>>): Promise<{ issued: number; end: BatchEnd }> {
    const streams = new Map<number, Rng>();
    let issued = 0;
    for (let draw = 0; draw < MAX_DUPLICATES; draw++) {
      const batch = this.#breed(config, strategy, snap, snap.nextIndex + issued, snap.nextIndex + count, streams, rejected);
      const replies = await this.#store.trials.issue(config.name, batch);
      let ok = 0;
      while (ok < replies.length && replies[ok]?.ok === true) ok++;
      await addTrialJobs(this.#queues, config, batch.slice(0, ok));
      issued += ok;
      const refusal = replies[ok];
      if (refusal === undefined || refusal.ok) return { issued, end: 'done' };
      if (refusal.reason === 'stale-index') return { issued, end: 'stale' };
      if (refusal.reason !== 'duplicate') return { issued, end: 'refused' };
      const duplicate = batch[ok];
      if (duplicate === undefined) return { issued, end: 'refused' };
      rejected.set(duplicate.index, (rejected.get(duplicate.index) ?? new Set()).add(duplicate.fingerprint));
      for (const index of streams.keys()) if (index > duplicate.index) streams.delete(index);
    }
    this.#log.error({ campaign: config.name }, `no new candidate after ${MAX_DUPLICATES} duplicates; the search space may be too narrow`);
    return { issued, end: 'refused' };
  }

  #breed(config: CampaignConfig, strategy: Breeding, snap: Snapshot, from: number, to: number, streams: Map<number, Rng>, rejected: Map<number, Set<string>>): IssueItem[] {
    const batch: IssueItem[] = [];
    const taken = new Set<string>();
    for (let index = from; index < to; index++) {
      let rng = streams.get(index);
      if (rng === undefined) {
        rng = trialRng(config.seed, index);
        streams.set(index, rng);
      }
      const refused = rejected.get(index);
      const candidate = breedCandidate({
        base: config.baseHyp,
        space: config.space,
        population: snap.top,
        history: { finished: snap.populationSize, sinceBest: snap.sinceBest },
        strategy,
        rng,
        first: index === 0,
        // Only the snapshot's first index: once issued, the base trial is in flight again.
        baseAgain: snap.failedBase !== null && index === snap.nextIndex,
        isDuplicate: (hyp) => {
          const fingerprint = issuedKey(hyp);
          return taken.has(fingerprint) || refused?.has(fingerprint) === true;
        },
      });
      const fingerprint = issuedKey(candidate.hyp);
      taken.add(fingerprint);
      batch.push({
        index,
        fingerprint,
        hyp: candidate.hyp,
        origin: candidate.origin,
        parents: candidate.parentIds,
        pool: candidate.pool,
        poolSize: snap.populationSize,
        draws: candidate.draws + (refused?.size ?? 0),
        createdAt: Date.now(),
        ...(candidate.origin === 'base' && snap.failedBase !== null && index === snap.nextIndex ? { reissueOf: snap.failedBase } : {}),
      });
    }
    return batch;
  }

  /** The campaign's base hyps failed too often (BaseRerun): it pauses, its queued trials off the queue. */
  async #pause(name: string, reason: string): Promise<void> {
    if (!(await this.#store.pause(name, reason))) return;
    this.#log.warn({ campaign: name }, `campaign paused: ${reason}`);
    await removeQueuedJobs(this.#queues, name);
  }

  /** One consistent view (CampaignStore.readBreedingView) with the hyps of its top trials. */
  async #snapshot(name: string, poolSize: number): Promise<Omit<Snapshot, 'failedBase'>> {
    const { ranked, ...counts } = await this.#store.readBreedingView(name, poolSize);
    const hyps = await this.#readHyps(name, ranked.map((trial) => trial.id));
    return { ...counts, top: ranked.map((trial, i) => ({ ...trial, hyp: hyps[i] ?? {} })) };
  }

  /** The hyps of `ids`, read from Redis only for trials that were not in the previous top n. */
  async #readHyps(name: string, ids: number[]): Promise<Hyp[]> {
    const known = this.#topHyps.get(name) ?? new Map<number, Hyp>();
    const missing = ids.filter((id) => !known.has(id));
    // A parent without a valid hyp is damage to report (CorruptStateError), not to breed from.
    if (missing.length > 0) (await this.#store.trials.readHyps(name, missing)).forEach((hyp, i) => known.set(missing[i] ?? -1, hyp));
    const hyps = ids.map((id) => known.get(id) ?? {});
    this.#topHyps.set(name, new Map(ids.map((id, i) => [id, hyps[i] ?? {}])));
    return hyps;
  }
}

