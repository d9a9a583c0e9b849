import { GaInputError } from '../ga-input-error.js';
import type { Hyp } from '../metrics.js';
import { historyOf, type BreedHistory } from '../strategies/breed-history.js';
import type { Breeding, Proposal } from '../strategies/breed-strategy.js';
import { clampAndRound } from './mutation.js';
import type { Rng } from './prng.js';
import type { Scored } from './selection.js';
import type { SearchSpace } from './space.js';

export interface BreedInput {
  /** The compiled base hyp ({@link compileBaseHyp}); it fixes the child's keys and their order. */
  base: Hyp;
  space: SearchSpace;
  /** Finished trials; those with a non-finite fitness are ignored. */
  population: readonly Scored[];
  /**
   * Counts over the whole history when `population` holds only its best (the scheduler's
   * snapshot); default: `population` is the whole history, in recording order.
   */
  history?: BreedHistory;
  /** How candidates are bred (configureStrategy of the campaign's `{ name, params }`). */
  strategy: Breeding;
  /** This candidate's own stream ({@link trialRng}); the only source of randomness. */
  rng: Rng;
  /** True for a campaign's very first candidate: the base itself (clamped and rounded). */
  first: boolean;
  /**
   * The base itself again, population or not: the campaign's base trial failed, and a campaign
   * needs its baseline (the scheduler's breeder decides; see docs/how-it-works.md).
   */
  baseAgain?: boolean;
  /** True for a child identical to one already issued in the campaign: draw again. */
  isDuplicate?: (hyp: Hyp) => boolean;
  /** Draws before giving up on finding a new child; default 1000. */
  maxDraws?: number;
}

export interface Candidate {
  hyp: Hyp;
  /** Trials the child descends from; empty for the base and its mutations. */
  parentIds: number[];
  /** The top-n trial ids the parents were drawn from; empty while the population is. */
  pool: number[];
  /** Children generated to get this one (1 + duplicates rejected). */
  draws: number;
  origin: 'base' | Proposal['origin'];
}

const DEFAULT_MAX_DRAWS = 1000;

/**
 * Breeds one candidate with the campaign's strategy. A campaign's very first candidate is the
 * base itself (clamped and rounded: no randomness); after that the strategy proposes (YOLOv5
 * v7.0's: mutations of the base while no trial has finished, so workers starting together
 * train different hyps, then mutations of parents from the top trials). A proposal that
 * duplicates an issued trial is drawn again from the same stream. Deterministic for a given
 * rng state.
 */
export function breedCandidate(input: BreedInput): Candidate {
  const { base, space, strategy, rng, first, isDuplicate } = input;
  const maxDraws = input.maxDraws ?? DEFAULT_MAX_DRAWS;
  if (!Number.isSafeInteger(maxDraws) || maxDraws < 1) {
    throw new GaInputError(`maxDraws must be an integer ≥ 1, got ${String(maxDraws)}`, { where: 'maxDraws' });
  }
  const spaceKeys = Object.keys(space);
  const missing = spaceKeys.filter((key) => !Object.hasOwn(base, key));
  if (missing.length > 0) {
    throw new GaInputError(
      `base hyp lacks search space hyp(s) ${missing.join(', ')}; compile it with compileBaseHyp first`,
      { where: 'base hyp' },
    );
  }
  const population = input.population.filter((trial) => Number.isFinite(trial.fitness));
  const history = input.history ?? historyOf(population);
  const fresh = (hyp: Hyp): boolean => isDuplicate === undefined || !isDuplicate(hyp);

  // A base already issued (a resumed campaign) falls through to mutations of it.
  let draw = 0;
  if ((population.length === 0 && first) || input.baseAgain === true) {
    draw++;
    const hyp = clampAndRound(base, space);
    if (fresh(hyp)) return { hyp, parentIds: [], pool: [], draws: draw, origin: 'base' };
  }

  const firstProposal = draw;
  while (++draw <= maxDraws) {
    const proposal = strategy.propose({ base, space, population, history, rng, attempt: draw - 1 - firstProposal });
    if (fresh(proposal.hyp)) return { hyp: proposal.hyp, parentIds: proposal.parentIds, pool: proposal.pool, draws: draw, origin: proposal.origin };
  }
  throw new GaInputError(
    `could not breed a new child in ${maxDraws} draws: every one duplicated a candidate already issued. ` +
      'The search space is too narrow or mostly frozen to yield new children; widen [lower, upper] or give more hyps a gain > 0',
    { where: 'search space' },
  );
}

/**
 * A stable text for duplicate detection: `key=value` pairs in key order. Values use the
 * shortest round-trip spelling, so equal doubles give equal text (and -0 reads as 0: the
 * same training run).
 */
export function hypFingerprint(hyp: Hyp): string {
  return Object.entries(hyp)
    .map(([key, value]) => `${key}=${String(value)}`)
    .join(',');
}
