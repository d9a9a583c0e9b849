import { describe, expect, it } from 'vitest';
import { GaInputError } from '../ga-input-error.js';
import { trialRng } from '../ga/prng.js';
import type { Scored } from '../ga/selection.js';
import { withIntegerHyps, type SearchSpace } from '../ga/space.js';
import type { Hyp } from '../metrics.js';
import { ULTRALYTICS_INTEGER_HYPS, ULTRALYTICS_TUNER_BASE_HYP, ULTRALYTICS_TUNER_SPACE } from '../trainers/ultralytics-defaults.js';
import type { BreedHistory } from './breed-history.js';
import { ultralyticsTuner } from './ultralytics-tuner.js';

const space = withIntegerHyps(ULTRALYTICS_TUNER_SPACE, ULTRALYTICS_INTEGER_HYPS);
const base = ULTRALYTICS_TUNER_BASE_HYP;
const keys = Object.keys(space);
const breeding = ultralyticsTuner.configure({});

/** 12 trials around the base, trial i with fitness 0.1 + 0.01·i and lr0 marking it. */
const population: Scored[] = Array.from({ length: 12 }, (_, id) => ({ id, fitness: 0.1 + 0.01 * id, hyp: { ...base, lr0: 0.0001 * (id + 1) } }));

function draws(n: number, options: { population?: Scored[]; history?: BreedHistory; attempt?: number; space?: SearchSpace } = {}): Hyp[] {
  const pop = options.population ?? [];
  return Array.from({ length: n }, (_, i) =>
    breeding.propose({
      base,
      space: options.space ?? space,
      population: pop,
      history: options.history ?? { finished: pop.length, sinceBest: 0 },
      rng: trialRng(11, i),
      attempt: options.attempt ?? 0,
    }).hyp,
  );
}

/** Standard deviation of a gene's moves away from the base, in units of its range, over the draws that moved it. */
function moveSpread(hyps: readonly Hyp[], key: string): number {
  const gene = space[key];
  if (gene === undefined) throw new Error(key);
  const moves = hyps.map((hyp) => ((hyp[key] ?? 0) - (base[key] ?? 0)) / (gene.upper - gene.lower)).filter((d) => d !== 0);
  return Math.sqrt(moves.reduce((sum, d) => sum + d * d, 0) / moves.length);
}

describe("Ultralytics' Tuner as a strategy", () => {
  it('moves every hyp, those at 0 included, about half of them per child, and keeps each in range and rounded', () => {
    const children = draws(400);
    for (const key of keys) {
      const gene = space[key];
      const moved = children.filter((hyp) => hyp[key] !== base[key]).length;
      // About half move; of a gene at a bound (lr0 and close_mosaic at their upper), half of those are clipped back.
      expect(moved, key).toBeGreaterThan(60);
      for (const hyp of children) {
        const value = hyp[key] ?? Number.NaN;
        expect(value).toBeGreaterThanOrEqual(gene?.lower ?? Number.NaN);
        expect(value).toBeLessThanOrEqual(gene?.upper ?? Number.NaN);
        expect(gene?.integer === true ? Number.isInteger(value) : Math.abs(value * 1e5 - Math.round(value * 1e5)) < 1e-6).toBe(true);
      }
    }
    for (const zero of ['degrees', 'shear', 'perspective', 'flipud', 'mixup', 'cutmix', 'copy_paste', 'bgr', 'cls_pw']) {
      expect(base[zero]).toBe(0);
      expect(children.some((hyp) => (hyp[zero] ?? 0) > 0), zero).toBe(true);
    }
    const perChild = children.map((hyp) => keys.filter((key) => hyp[key] !== base[key]).length);
    const mean = perChild.reduce((a, b) => a + b, 0) / perChild.length;
    // Half the genes step; 11 of the 26 sit at a bound, where half the steps are clipped back.
    expect(mean).toBeGreaterThan(0.3 * keys.length);
    expect(mean).toBeLessThan(0.5 * keys.length);
  });

  it('breeds from the top 9 by fitness, weighted by fitness − min + 1e-6, keeping hyps outside the space as the base has them', () => {
    expect(breeding.poolSize).toBe(30);
    const proposal = breeding.propose({ base, space, population, history: { finished: 12, sinceBest: 0 }, rng: trialRng(5, 5), attempt: 0 });
    expect(proposal.pool).toEqual([11, 10, 9, 8, 7, 6, 5, 4, 3]);
    expect(proposal.origin).toBe('population');
    const parents = Array.from({ length: 900 }, (_, i) =>
      breeding.propose({ base, space, population, history: { finished: 12, sinceBest: 0 }, rng: trialRng(6, i), attempt: 0 }).parentIds[0] ?? -1,
    );
    const count = (id: number): number => parents.filter((p) => p === id).length;
    // Weights 0.08 … 0 (+1e-6): trial 11 eight times as likely as trial 4, trial 3 almost never.
    expect(count(11) / 900).toBeCloseTo(0.08 / 0.36, 1);
    expect(count(4) / 900).toBeCloseTo(0.01 / 0.36, 1);
    expect(count(3)).toBe(0);
    expect(breeding.propose({ base: { ...base, extra: 7 }, space, population: [], history: { finished: 0, sinceBest: 0 }, rng: trialRng(1, 1), attempt: 0 }).hyp.extra).toBe(7);
  });

  it('shrinks its steps to 0.8× as the best grows stale over 25 trials', () => {
    const fresh = draws(600, { history: { finished: 12, sinceBest: 0 } });
    const stale = draws(600, { history: { finished: 12, sinceBest: 25 } });
    const staler = draws(600, { history: { finished: 12, sinceBest: 50 } });
    const ratio = moveSpread(stale, 'fliplr') / moveSpread(fresh, 'fliplr');
    expect(ratio).toBeGreaterThan(0.72);
    expect(ratio).toBeLessThan(0.88);
    expect(staler).toEqual(stale);
  });

  it('draws the movable genes uniformly after 100 duplicates, and never moves a gene with gain 0', () => {
    const uniform = draws(400, { attempt: 100 });
    const hsv = uniform.map((hyp) => hyp.hsv_s ?? 0);
    expect(Math.min(...hsv)).toBeLessThan(0.05);
    expect(Math.max(...hsv)).toBeGreaterThan(0.85);
    const frozen = { ...space, fliplr: { gain: 0, lower: 0, upper: 1 } };
    for (const attempt of [0, 100]) expect(draws(100, { space: frozen, attempt }).every((hyp) => hyp.fliplr === base.fliplr)).toBe(true);
  });

  it('has nothing to warn about hyps at 0', () => {
    expect(breeding.review(base, space)).toEqual([]);
  });

  it.each([
    [{ topN: 0 }, /params\.topN/],
    [{ sigma: 0 }, /params\.sigma/],
    [{ mutationProbability: 0.5 }, /mutationProbability/],
  ])('refuses bad params %j naming the field', (params, message) => {
    let thrown: unknown;
    try {
      ultralyticsTuner.configure(params);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(GaInputError);
    expect((thrown as Error).message).toMatch(message);
    expect((thrown as Error).message).toMatch(/^strategy ultralytics: .*it takes topN and sigma$/);
  });
});
