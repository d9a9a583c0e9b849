import { GaInputError } from '../ga-input-error.js';
import type { Hyp } from '../metrics.js';
import type { Rng } from './prng.js';
import { hypFrom } from './hyp-record.js';
import { pyRound } from './round.js';
import type { SearchSpace } from './space.js';

/** Probability that a hyp with gain > 0 is perturbed at all (YOLOv5's `mp`). */
export const MUTATION_PROBABILITY = 0.8;
/** Scale of the perturbation (YOLOv5's `s`). */
export const MUTATION_SIGMA = 0.2;
/** Factors are clipped to this range, so one mutation moves a hyp at most ×3 or ×0.3. */
export const FACTOR_MIN = 0.3;
export const FACTOR_MAX = 3.0;
/** Decimals every child hyp is rounded to (YOLOv5: `round(v, 5)`). */
export const HYP_DECIMALS = 5;
/** The two rates of YOLOv5's mutation, per campaign; its own are {@link MUTATION_PROBABILITY} and {@link MUTATION_SIGMA}. */
export interface MutationRates {
  readonly probability: number;
  readonly sigma: number;
}

const YOLOV5_RATES: MutationRates = Object.freeze({ probability: MUTATION_PROBABILITY, sigma: MUTATION_SIGMA });

/**
 * With a valid space a round leaves every factor at 1 with probability about 0.2^(hyps with
 * gain > 0), so this cap is only reached when gains are so tiny that 1 + gain·z·r·σ rounds
 * to 1 in floating point: fail clearly instead of spinning like YOLOv5 does.
 */
const MAX_FACTOR_ROUNDS = 10_000;

/**
 * One multiplicative factor per space key, in the space's key order (YOLOv5 v7.0):
 * r ~ U(0,1) once per round; per hyp i, uᵢ ~ U(0,1) and zᵢ ~ N(0,1);
 * vᵢ = clip(1 + gainᵢ·[uᵢ < mp]·zᵢ·r·σ, 0.3, 3.0). Rounds repeat until some vᵢ ≠ 1.
 * Draw order per round (fixed, so a seed reproduces): all u, then all z, then r — numpy's
 * order in YOLOv5's one-liner.
 */
export function mutationFactors(space: SearchSpace, rng: Rng, rates: MutationRates = YOLOV5_RATES): number[] {
  const gains = Object.values(space).map((g) => g.gain);
  if (!gains.some((gain) => gain > 0)) {
    throw new GaInputError(
      "every hyp in the search space has gain 0: YOLOv5's mutate loop would spin forever; give at least one hyp a gain > 0",
      { where: 'search space' },
    );
  }
  const n = gains.length;
  const u = new Array<number>(n);
  const z = new Array<number>(n);
  const factors = new Array<number>(n);
  for (let round = 0; round < MAX_FACTOR_ROUNDS; round++) {
    for (let i = 0; i < n; i++) u[i] = rng.next();
    for (let i = 0; i < n; i++) z[i] = rng.normal();
    const r = rng.next();
    let changed = false;
    for (let i = 0; i < n; i++) {
      const mutated = (u[i] ?? 1) < rates.probability ? 1 : 0;
      const v = 1 + (gains[i] ?? 0) * mutated * (z[i] ?? 0) * r * rates.sigma;
      const clipped = Math.min(Math.max(v, FACTOR_MIN), FACTOR_MAX);
      factors[i] = clipped;
      if (clipped !== 1) changed = true;
    }
    if (changed) return factors;
  }
  throw new GaInputError(
    `no mutation changed any hyp in ${MAX_FACTOR_ROUNDS} rounds: the gains are too small to move a value; use gains of order 0.1–2`,
    { where: 'search space' },
  );
}

/**
 * Space keys clamped to [lower, upper] (lower first, as YOLOv5 does) then rounded to 5
 * decimals like Python's `round` (integer genes: to a whole number, as Ultralytics' Tuner
 * does); other keys untouched; key order kept. If a bound has more than 5 decimals the
 * rounded value can land just outside it — YOLOv5 behaves the same.
 */
export function clampAndRound(hyp: Hyp, space: SearchSpace): Hyp {
  return hypFrom(Object.keys(hyp), (key) => {
    const value = hyp[key] ?? Number.NaN;
    const g = Object.hasOwn(space, key) ? space[key] : undefined;
    if (g === undefined) return value;
    if (Number.isNaN(value)) {
      throw new GaInputError(`hyp ${key} is NaN; expected a number in [${g.lower}, ${g.upper}]`, {
        where: `hyp ${key}`,
      });
    }
    const clamped = Math.min(Math.max(value, g.lower), g.upper);
    if (g.integer !== true) return pyRound(clamped, HYP_DECIMALS);
    // Rounding can step outside a fractional bound: step back to the nearest whole number inside.
    const whole = pyRound(clamped, 0);
    return whole < g.lower ? Math.ceil(g.lower) : whole > g.upper ? Math.floor(g.upper) : whole;
  });
}

/** parent·v for every space key, then {@link clampAndRound}. The child keeps the parent's key order. */
export function mutate(parent: Hyp, space: SearchSpace, rng: Rng, rates: MutationRates = YOLOV5_RATES): Hyp {
  const spaceKeys = Object.keys(space);
  const missing = spaceKeys.filter((key) => !Object.hasOwn(parent, key));
  if (missing.length > 0) {
    throw new GaInputError(
      `parent hyp lacks search space hyp(s) ${missing.join(', ')}; every parent must carry a value for each space key`,
      { where: 'parent hyp' },
    );
  }
  const factors = mutationFactors(space, rng, rates);
  const factorOf = new Map<string, number>();
  spaceKeys.forEach((key, i) => factorOf.set(key, factors[i] ?? 1));
  const child = hypFrom(Object.keys(parent), (key) => (parent[key] ?? Number.NaN) * (factorOf.get(key) ?? 1));
  return clampAndRound(child, space);
}

/**
 * The warning multiplicative mutation owes a campaign: hyps that start at 0 (after clamping)
 * with a gain > 0 stay at 0 forever, since 0·v = 0. One line for all of them: YOLOv5's own
 * defaults have five, and five lines on every enqueue drown the rest. Null when none.
 */
export function stuckAtZeroWarning(base: Hyp, space: SearchSpace): string | null {
  const start = clampAndRound(base, space);
  const stuck = Object.entries(space).filter(([key, g]) => g.gain > 0 && start[key] === 0).map(([key]) => key);
  if (stuck.length === 0) return null;
  const one = stuck.length === 1;
  return `hyp${one ? '' : 's'} ${stuck.join(', ')} start${one ? 's' : ''} at 0 with a gain > 0: multiplicative mutation can never move ${one ? 'it' : 'them'} ` +
    `(YOLOv5's default hyps do this too); to evolve ${one ? 'it' : 'them'}, give a non-zero starting value in the hyp file, set gain 0 in the space to fix ${one ? 'it' : 'them'} and silence this, ` +
    "or breed with --parent ultralytics (additive steps move 0)";
}
