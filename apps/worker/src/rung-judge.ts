import type { PrunedAt } from '@hyperevolve/contract';
import { decideAtRung, type RungDecision } from '@hyperevolve/ga-core';
import type { TrialStore } from '@hyperevolve/trial-store';
import type { CompleteTrialJob } from './legacy-job.js';

/**
 * Judges one run at the rungs of its campaign's `--prune`: the fitness it reached after a rung's
 * epoch is kept on the rung (by the store's record-epoch, with the epoch), then compared with
 * every other trial's there by ga-core's decideAtRung. The worker running the trial decides, as
 * soon as the epoch is seen: the process to stop is here.
 */
export class RungJudge {
  readonly #trial: CompleteTrialJob;
  readonly #trials: Pick<TrialStore, 'readRungPeers'>;

  constructor(options: { trial: CompleteTrialJob; trials: Pick<TrialStore, 'readRungPeers'> }) {
    this.#trial = options.trial;
    this.#trials = options.trials;
  }

  /** Whether the run is compared after this many epochs. */
  isRung(epoch: number): boolean {
    return this.#trial.pruning.mode !== 'none' && this.#trial.pruning.rungs.includes(epoch);
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
