import type { PrunedAt } from '@hyperevolve/contract';
import { decideAtRung, type RungDecision } from '@hyperevolve/ga-core';
import type { RungEntry, TrialStore } from '@hyperevolve/trial-store';
import type { CompleteTrialJob } from './legacy-job.js';

/**
 * Judges one run at the rungs of its campaign's `--prune`: the fitness it reached after a rung's
 * epoch is kept on the rung (by the store's record-epoch, with the epoch), then compared with
 * the other trials' there (the last `window` before it, or all) by ga-core's decideAtRung. The
 * worker running the trial decides, as soon as the epoch is seen: the process to stop is here.
 */
export class RungJudge {
  readonly #trial: CompleteTrialJob;
  readonly #trials: Pick<TrialStore, 'readRungArrivals'>;

  constructor(options: { trial: CompleteTrialJob; trials: Pick<TrialStore, 'readRungArrivals'> }) {
    this.#trial = options.trial;
    this.#trials = options.trials;
  }

  /** Whether the run is compared after this many epochs. */
  isRung(epoch: number): boolean {
    return this.#trial.pruning.mode !== 'none' && this.#trial.pruning.rungs.includes(epoch);
  }

  /** What record-epoch keeps for the run at a rung: its fitness there, and the campaign's window. */
  entry(fitness: number): RungEntry {
    return { fitness, window: this.#trial.pruning.window };
  }

  /**
   * The decision at a rung, against what is stored there (this run's own entry already kept, so
   * with a window only the trials before it count); `epochs`: the trainer's count, when known.
   */
  async decide(epoch: number, fitness: number, epochs: number | undefined): Promise<RungDecision> {
    const { pruning, campaign, index } = this.#trial;
    const arrivals = await this.#trials.readRungArrivals(campaign, epoch, pruning.window);
    return decideAtRung({ settings: pruning, epoch, fitness, arrivals, index, base: this.#trial.base === true, epochs });
  }
}

/** A prune decision as the run's result carries it. */
export function prunedAt(decision: Extract<RungDecision, { kind: 'prune' }>, fitness: number): PrunedAt {
  return { rung: decision.rung, fitness, cut: decision.cut };
}
