import { z } from 'zod';
import { describeZodError } from '../describe-zod-error.js';
import { GaInputError } from '../ga-input-error.js';
import { cholesky, correlatedNormal, sampleCovariance, type Matrix } from '../ga/gaussian.js';
import { hypFrom, ownValue } from '../ga/hyp-record.js';
import { clampAndRound } from '../ga/mutation.js';
import type { Scored } from '../ga/selection.js';
import type { Gene } from '../ga/space.js';
import type { BreedContext, BreedStrategy, Breeding, Proposal } from './breed-strategy.js';

/**
 * The constants of the pinned Ultralytics release's Tuner (8.4.190, `engine/tuner.py`,
 * `Tuner._mutate`), read from its source; test/trainers-ultralytics-ga.test.ts compares our
 * candidates with its own.
 */
const TUNER = Object.freeze({
  /** Parents come from this many best trials. */
  topN: 9,
  /** The step's standard deviation in normalised units, before gain and decay. */
  sigma: 0.2,
  /** Each gene moves with this probability. */
  moveProbability: 0.5,
  /** The step shrinks linearly to (1 − decayFloor)… */
  decayDepth: 0.2,
  /** …over this many trials recorded since the best. */
  decayTrials: 25,
  /** The elite's covariance is used from this many finished trials on… */
  covarianceFrom: 30,
  /** …with an elite of this share of them… */
  eliteShare: 0.2,
  /** …but never more than this many. */
  eliteMax: 30,
  /** A covariance step is taken with probability covarianceChance × confidence. */
  covarianceChance: 0.4,
  /** After this many duplicates, the movable genes are drawn uniformly instead. */
  uniformAfter: 100,
  /** The smallest step of a gene, in its own units: 1 for whole-number hyps, else the 5th decimal. */
  wholeResolution: 1,
  decimalResolution: 1e-5,
});

const WEIGHT_EPSILON = 1e-6;

const ParamsSchema = z.strictObject({
  /** Parents come from the best `topN` finished trials. */
  topN: z.number().int().min(1).max(1000).default(TUNER.topN),
  /** The step's standard deviation in units of each gene's range, before gain and decay. */
  sigma: z.number().gt(0).max(10).default(TUNER.sigma),
});
type Params = z.infer<typeof ParamsSchema>;

/** A gene as the Tuner sees it: its bounds, and whether it moves at all (a range and a gain > 0). */
interface Axis {
  readonly key: string;
  readonly gene: Gene;
  readonly span: number;
  readonly movable: boolean;
  /** The Gaussian step in normalised units. */
  readonly step: number;
}

/**
 * Ultralytics' Tuner: each hyp normalised to [0, 1] by its range; a parent drawn from the top 9
 * with weights fitness − min + 1e-6; about half the genes stepped by N(0, (σ·gain·decay)²),
 * clipped to [0, 1], where decay falls from 1 to 0.8 as the best grows stale over 25 trials;
 * from 30 finished trials on, with probability 0.4 × confidence, a step along the covariance of
 * the elite (the best 20 %, at most 30) instead, reflected into [0, 1]; integer hyps rounded,
 * others to 5 decimals. After 100 duplicates, the movable genes of a parent are drawn
 * uniformly. Before any trial finished, it mutates the base, as the Tuner does when several
 * machines start together. Unlike v7.0's multiplicative mutation it moves hyps that are 0.
 */
export const ultralyticsTuner: BreedStrategy = Object.freeze({
  name: 'ultralytics',
  summary: "Ultralytics' Tuner (8.4.190): Gaussian steps on normalised genes from one of the top 9, elite covariance after 30 trials",
  configure(raw: Readonly<Record<string, unknown>>): Breeding {
    const parsed = ParamsSchema.safeParse(raw);
    if (!parsed.success) {
      throw new GaInputError(`strategy ultralytics: ${describeZodError(parsed.error, 'params')}; it takes topN and sigma`, { where: 'strategy params' });
    }
    const params = parsed.data;
    return {
      name: 'ultralytics',
      poolSize: Math.max(params.topN, TUNER.eliteMax),
      propose: (context) => propose(context, params),
      // Additive steps on the normalised range move every gene with a range and a gain.
      review: () => [],
    };
  },
});

function propose(context: BreedContext, params: Params): Proposal {
  const { base, space, history, rng, attempt } = context;
  const fromBase = context.population.length === 0;
  // With nothing finished, the Tuner breeds from the base as a one-row history of fitness 0.
  const ranked: Scored[] = fromBase
    ? [{ id: -1, fitness: 0, hyp: base }]
    : [...context.population].sort((a, b) => b.fitness - a.fitness || a.id - b.id);
  const finished = fromBase ? 1 : history.finished;
  const decay = 1 - TUNER.decayDepth * Math.min(history.sinceBest / TUNER.decayTrials, 1);
  const axes: Axis[] = Object.entries(space).map(([key, gene]) => {
    const span = gene.upper - gene.lower;
    const movable = span > 0 && gene.gain > 0;
    const resolution = gene.integer === true ? TUNER.wholeResolution : TUNER.decimalResolution;
    return { key, gene, span, movable, step: movable ? Math.max(params.sigma * decay * gene.gain, resolution / span) : 0 };
  });
  const moving = axes.filter((axis) => axis.movable);
  const genesOf = (trial: Scored): number[] => axes.map((axis) => {
    const value = ownValue(trial.hyp, axis.key);
    if (value === undefined) {
      throw new GaInputError(`parent trial ${trial.id} has no value for search space hyp ${axis.key}`, { where: `trial ${trial.id}` });
    }
    return axis.movable ? (value - axis.gene.lower) / axis.span : value;
  });

  const pool = ranked.slice(0, params.topN);
  const parent = pickWeighted(pool, rng.next());
  const genes = genesOf(parent);
  if (attempt >= TUNER.uniformAfter) {
    axes.forEach((axis, i) => {
      if (axis.movable) genes[i] = rng.next();
    });
  } else {
    const mask = axes.map((axis) => rng.next() < TUNER.moveProbability && axis.movable);
    const elite = finished >= TUNER.covarianceFrom && moving.length > 0 ? eliteSteps(ranked, finished, axes, genesOf, decay) : null;
    if (elite !== null && rng.next() < TUNER.covarianceChance * elite.confidence) {
      const movingIndex = axes.flatMap((axis, i) => (axis.movable ? [i] : []));
      const drawn = correlatedNormal(movingIndex.map((i) => genes[i] ?? 0), elite.factor, rng);
      movingIndex.forEach((i, k) => {
        const value = mask[i] === true ? (drawn[k] ?? 0) : (genes[i] ?? 0);
        genes[i] = reflectIntoUnit(value);
      });
    } else {
      axes.forEach((axis, i) => {
        const z = rng.normal();
        if (axis.movable) genes[i] = Math.min(Math.max((genes[i] ?? 0) + (mask[i] === true ? z * axis.step : 0), 0), 1);
      });
    }
  }
  const byKey = new Map(axes.map((axis, i) => [axis.key, axis.movable ? axis.gene.lower + (genes[i] ?? 0) * axis.span : (genes[i] ?? 0)]));
  const child = hypFrom(Object.keys(base), (key) => byKey.get(key) ?? base[key] ?? Number.NaN);
  return fromBase
    ? { hyp: clampAndRound(child, space), parentIds: [], pool: [], origin: 'base-mutation' }
    : { hyp: clampAndRound(child, space), parentIds: [parent.id], pool: pool.map((trial) => trial.id), origin: 'population' };
}

/** One of `pool` (best first), drawn ∝ fitness − min + 1e-6 by the uniform `u`. */
function pickWeighted(pool: readonly Scored[], u: number): Scored {
  const min = Math.min(...pool.map((trial) => trial.fitness));
  const weights = pool.map((trial) => trial.fitness - min + WEIGHT_EPSILON);
  let x = u * weights.reduce((sum, w) => sum + w, 0);
  for (let i = 0; i < pool.length; i++) {
    x -= weights[i] ?? 0;
    if (x < 0) return pool[i] as Scored;
  }
  return pool[pool.length - 1] as Scored;
}

/**
 * The elite's covariance over the movable genes (normalised), shrunk by decay² and by the
 * confidence (elite size over movable genes, at most 1), plus each gene's own step² spread over
 * the movable genes: positive definite, so its Cholesky factor exists.
 */
function eliteSteps(ranked: readonly Scored[], finished: number, axes: readonly Axis[], genesOf: (trial: Scored) => number[], decay: number): { factor: Matrix; confidence: number } | null {
  const moving = axes.flatMap((axis, i) => (axis.movable ? [i] : []));
  const size = Math.min(Math.ceil(finished * TUNER.eliteShare), TUNER.eliteMax, ranked.length);
  const confidence = Math.min(size / moving.length, 1);
  const elite = ranked.slice(0, size).map((trial) => {
    const genes = genesOf(trial);
    return moving.map((i) => genes[i] ?? 0);
  });
  const covariance = sampleCovariance(elite, moving.length).map((row, r) =>
    row.map((value, c) => value * decay * decay * confidence + (r === c ? (axes[moving[r] ?? 0]?.step ?? 0) ** 2 / moving.length : 0)),
  );
  const factor = cholesky(covariance);
  return factor === null ? null : { factor, confidence };
}

/** Folds any real number into [0, 1] by reflecting at both ends (period 2). */
function reflectIntoUnit(value: number): number {
  const folded = ((value % 2) + 2) % 2;
  return 1 - Math.abs(folded - 1);
}
