import { epochFitness, type PrunedAt, type TrialJob } from '@hyperevolve/contract';
import { decideAtRung, type FitnessWeights, type RungDecision, type TrainerProfile } from '@hyperevolve/ga-core';
import type { RedisClient } from '@hyperevolve/runtime';
import type { TrialStore } from '@hyperevolve/trial-store';
import type { EpochReading } from './epoch-lines.js';
import { readFitnessWeights } from './trial-fitness.js';

/**
 * Judges one run at the rungs of its campaign's `--prune`: the fitness it reached after a rung's
 * epoch is kept on the rung (by the store's record-epoch, with the epoch), then compared with
 * every other trial's there by ga-core's decideAtRung. The worker running the trial decides, as
 * soon as the epoch is seen: the process to stop is here.
 */
export class RungJudge {
  readonly #trial: TrialJob;
  readonly #profile: TrainerProfile;
  readonly #trials: Pick<TrialStore, 'readRungPeers'>;
  readonly #redis: RedisClient;
  readonly #prefix: string;
  #weights: Promise<FitnessWeights | null> | undefined;

  constructor(options: { trial: TrialJob; profile: TrainerProfile; trials: Pick<TrialStore, 'readRungPeers'>; redis: RedisClient; prefix: string }) {
    this.#trial = options.trial;
    this.#profile = options.profile;
    this.#trials = options.trials;
    this.#redis = options.redis;
    this.#prefix = options.prefix;
  }

  /** Whether the run is compared after this many epochs. */
  isRung(epoch: number): boolean {
    return this.#trial.pruning.mode !== 'none' && this.#trial.pruning.rungs.includes(epoch);
  }

  /** The run's fitness after `reading`'s epoch, when that epoch is a rung; undefined otherwise or when it has none (not validated, nan). */
  async rungFitness(reading: EpochReading): Promise<number | undefined> {
    if (!this.isRung(reading.epoch)) return undefined;
    this.#weights ??= readFitnessWeights(this.#redis, this.#prefix, this.#trial.campaign);
    const weights = await this.#weights;
    if (weights === null && reading.fitness === undefined) return undefined;
    const value = epochFitness(reading, weights ?? [], this.#profile.fitnessMetrics);
    return Number.isFinite(value) ? value : undefined;
  }

  /** The decision at a rung, against the trials that reached it (this one's fitness there already kept); `epochs`: the trainer's count, when known. */
  async decide(epoch: number, fitness: number, epochs: number | undefined): Promise<RungDecision> {
    const peers = await this.#trials.readRungPeers(this.#trial.campaign, epoch, this.#trial.index);
    return decideAtRung({ settings: this.#trial.pruning, epoch, fitness, peers, firstTrial: this.#trial.index === 0, epochs });
  }
}

/** A prune decision as the run's result carries it. */
export function prunedAt(decision: Extract<RungDecision, { kind: 'prune' }>, fitness: number): PrunedAt {
  return { rung: decision.rung, fitness, cut: decision.cut };
}
