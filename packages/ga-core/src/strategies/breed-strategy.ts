import type { Rng } from '../ga/prng.js';
import type { Scored } from '../ga/selection.js';
import type { SearchSpace } from '../ga/space.js';
import type { Hyp } from '../metrics.js';
import type { BreedHistory } from './breed-history.js';

/** What a strategy breeds one candidate from: a snapshot of the campaign and the candidate's own random stream. */
export interface BreedContext {
  /** The compiled base hyp (compileBaseHyp): it fixes the child's keys and their order. */
  readonly base: Hyp;
  readonly space: SearchSpace;
  /**
   * The best finished trials as the snapshot saw them (at most the strategy's poolSize, any
   * order, each with a finite fitness); empty until the first trial succeeds.
   */
  readonly population: readonly Scored[];
  /** What the campaign's whole history says beyond its best trials. */
  readonly history: BreedHistory;
  /** This candidate's stream (trialRng(seed, index)): the only source of randomness. */
  readonly rng: Rng;
  /** Proposals for this candidate already refused as duplicates (0 on the first). */
  readonly attempt: number;
}

/** One candidate as a strategy proposes it; the breeder rejects duplicates and asks again. */
export interface Proposal {
  readonly hyp: Hyp;
  /** Trials the child descends from; empty for mutations of the base. */
  readonly parentIds: number[];
  /** The trials the parents were drawn from, best first; empty while the population is. */
  readonly pool: number[];
  readonly origin: 'base-mutation' | 'population';
}

/** A strategy with its campaign's parameters checked and filled: what the breeder calls. */
export interface Breeding {
  readonly name: string;
  /** How many of the best finished trials a candidate is bred from: the size of the breeder's snapshot. */
  readonly poolSize: number;
  /**
   * One candidate, deterministic for a given rng state. Called again on the same (advanced)
   * stream while candidates duplicate trials already issued.
   */
  propose(context: BreedContext): Proposal;
  /** Warnings for a campaign's compiled base and space: what this strategy can never move in it. */
  review(base: Hyp, space: SearchSpace): string[];
}

/**
 * A way to breed candidates (Ray Tune calls it a search algorithm): population snapshot +
 * space + rng → candidate. Campaigns store `{ name, params }`; adding a strategy is its file,
 * a line in `registry.ts` and its test.
 */
export interface BreedStrategy {
  /** The `--parent` value and the campaign setting's name. */
  readonly name: string;
  /** One line for --help and the dashboard. */
  readonly summary: string;
  /**
   * Checks the campaign's params (unknown fields refused, defaults filled) and returns the
   * strategy ready to breed; throws GaInputError naming the field and what it accepts.
   */
  configure(params: Readonly<Record<string, unknown>>): Breeding;
}
