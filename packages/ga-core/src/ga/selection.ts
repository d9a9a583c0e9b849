import { GaInputError } from '../ga-input-error.js';
import type { Hyp } from '../metrics.js';
import { hypFrom, ownValue } from './hyp-record.js';
import type { Rng } from './prng.js';

/** A finished trial as the GA sees it. */
export interface Scored {
  readonly id: number;
  readonly fitness: number;
  readonly hyp: Hyp;
}

/** `single`: one parent drawn ∝ weight (YOLOv5's default). `weighted`: weight-averaged parents. */
export type ParentSelection = 'single' | 'weighted';

/** How many of the best trials can be parents (YOLOv5: `n = min(5, len(x))`). */
export const TOP_N = 5;

/** Keeps weights positive so the worst of the pool can still be picked, and n = 1 works. */
const WEIGHT_EPSILON = 1e-6;

export interface Selection {
  /** The hyp the child starts from: one parent's, or the weighted mean. */
  hyp: Hyp;
  /** Trials the child descends from. */
  parentIds: number[];
  /** Ids of the top n trials the parent(s) came from, best first. */
  pool: number[];
}

/**
 * Picks the starting point of a child from the top n = min(topN, size) trials by fitness,
 * weights w = f − min(f) + 1e-6.
 *
 * The population is sorted here (callers may pass it in any order); equal fitnesses keep
 * input order, so the choice is deterministic. Trials with non-finite fitness (failed or NaN
 * runs) are never parents. `keys` (default: the best trial's keys) are the hyps averaged by
 * `weighted`; every pool member must have each of them. `single` returns the parent's hyp
 * as is and draws one uniform from `rng`; `weighted` draws nothing.
 */
export function selectParent(
  population: readonly Scored[],
  strategy: ParentSelection,
  rng: Rng,
  keys?: readonly string[],
  topN = TOP_N,
): Selection {
  const ranked = population
    .map((trial, order) => ({ trial, order }))
    .filter(({ trial }) => Number.isFinite(trial.fitness))
    .sort((a, b) => b.trial.fitness - a.trial.fitness || a.order - b.order)
    .slice(0, topN)
    .map(({ trial }) => trial);
  const best = ranked[0];
  if (best === undefined) {
    throw new GaInputError(
      `cannot select a parent: the population has no trial with a finite fitness (${population.length} given)`,
      { where: 'population' },
    );
  }
  const min = Math.min(...ranked.map((t) => t.fitness));
  const weights = ranked.map((t) => t.fitness - min + WEIGHT_EPSILON);
  const total = weights.reduce((sum, w) => sum + w, 0);
  const pool = ranked.map((t) => t.id);

  if (strategy === 'single') {
    // Inverse CDF on the cumulative weights, like Python's random.choices.
    const x = rng.next() * total;
    let cumulative = 0;
    let chosen = ranked[ranked.length - 1] ?? best;
    for (let i = 0; i < ranked.length; i++) {
      cumulative += weights[i] ?? 0;
      if (x < cumulative) {
        chosen = ranked[i] ?? best;
        break;
      }
    }
    return { hyp: chosen.hyp, parentIds: [chosen.id], pool };
  }

  const hyp = hypFrom(keys ?? Object.keys(best.hyp), (key) => {
    let sum = 0;
    ranked.forEach((trial, i) => {
      const value = ownValue(trial.hyp, key);
      if (value === undefined || !Number.isFinite(value)) {
        throw new GaInputError(
          `trial ${trial.id} has no finite value for hyp ${key} (got ${String(value)}); every parent must carry each evolved hyp`,
          { where: `trial ${trial.id}` },
        );
      }
      sum += (weights[i] ?? 0) * value;
    });
    return sum / total;
  });
  return { hyp, parentIds: pool, pool };
}
