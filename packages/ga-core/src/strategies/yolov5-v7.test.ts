import { load } from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { GaInputError } from '../ga-input-error.js';
import { compileBaseHyp } from '../ga/campaign-hyp.js';
import { mutate } from '../ga/mutation.js';
import { trialRng } from '../ga/prng.js';
import { selectParent, type Scored } from '../ga/selection.js';
import { YOLOV5_DETECTION_SPACE } from '../ga/space.js';
import { readFixture } from '../ga/fixture.test-support.js';
import type { Hyp } from '../metrics.js';
import { YOLOV5_DEFAULT_HYP } from '../yolov5-default-hyp.js';
import { historyOf } from './breed-history.js';
import { yolov5Single, yolov5Weighted } from './yolov5-v7.js';

const space = YOLOV5_DETECTION_SPACE;
const { base } = compileBaseHyp(YOLOV5_DEFAULT_HYP, space);
const population: Scored[] = [0.3, 0.5, 0.1, 0.4, 0.2, 0.45].map((fitness, id) => ({ id, fitness, hyp: { ...base, lr0: 0.001 * (id + 1) } }));

describe('YOLOv5 v7.0 strategies', () => {
  it('with no params breed exactly what selectParent and mutate with YOLOv5 v7.0\'s constants give', () => {
    for (const [strategy, mode] of [[yolov5Single, 'single'], [yolov5Weighted, 'weighted']] as const) {
      const breeding = strategy.configure({});
      expect(breeding.poolSize).toBe(5);
      const proposal = breeding.propose({ base, space, population, history: historyOf(population), attempt: 0, rng: trialRng(3, 7) });
      const rng = trialRng(3, 7);
      const selection = selectParent(population, mode, rng, Object.keys(space));
      expect(proposal.parentIds).toEqual(selection.parentIds);
      expect(proposal.pool).toEqual([1, 5, 3, 0, 4]);
      expect(proposal.hyp).toEqual(mutate({ ...base, ...Object.fromEntries(Object.keys(space).map((k) => [k, selection.hyp[k] ?? Number.NaN])) }, space, rng));
      expect(proposal.origin).toBe('population');
    }
  });

  it('mutate the base while no trial has finished', () => {
    const proposal = yolov5Single.configure({}).propose({ base, space, population: [], history: historyOf([]), attempt: 0, rng: trialRng(3, 1) });
    expect(proposal).toEqual({ hyp: mutate(base, space, trialRng(3, 1)), parentIds: [], pool: [], origin: 'base-mutation' });
  });

  it('take topN, mutationProbability and sigma per campaign', () => {
    const top1 = yolov5Weighted.configure({ topN: 1 });
    expect(top1.poolSize).toBe(1);
    expect(top1.propose({ base, space, population, history: historyOf(population), attempt: 0, rng: trialRng(1, 1) }).pool).toEqual([1]);
    const changed = (mutationProbability: number): number => [1, 2, 3, 4].reduce((sum, i) => {
      const { hyp } = yolov5Single.configure({ mutationProbability }).propose({ base, space, population: [], history: historyOf([]), attempt: 0, rng: trialRng(9, i) });
      return sum + Object.keys(space).filter((k) => hyp[k] !== base[k]).length;
    }, 0);
    expect(changed(1)).toBeGreaterThan(changed(0.8));
    expect(changed(0.8)).toBeGreaterThan(changed(0.2));
    const moved = (sigma: number): number => [1, 2, 3, 4].reduce((sum, i) => {
      const { hyp } = yolov5Single.configure({ sigma }).propose({ base, space, population: [], history: historyOf([]), attempt: 0, rng: trialRng(2, i) });
      return sum + Object.keys(space).reduce((s, k) => s + Math.abs((hyp[k] ?? 0) - (base[k] ?? 0)) / ((base[k] ?? 0) || 1), 0);
    }, 0);
    expect(moved(0.01)).toBeLessThan(moved(0.2));
    expect(moved(0.2)).toBeLessThan(moved(1));
  });

  it('warn once about every hyp that starts at 0 with a gain > 0 (0·v stays 0), and only those', () => {
    const scratchLow = load(readFixture('hyp.scratch-low.yaml')) as Hyp;
    // scratch-low has 0.0 for fl_gamma and perspective too, but their gain is 0.
    expect(yolov5Single.configure({}).review(compileBaseHyp(scratchLow, space).base, space)).toEqual([
      "hyps degrees, shear, flipud, mixup, copy_paste start at 0 with a gain > 0: multiplicative mutation can never move them (YOLOv5's default hyps do this too); " +
        'to evolve them, give a non-zero starting value in the hyp file, set gain 0 in the space to fix them and silence this, or breed with --parent ultralytics (additive steps move 0)',
    ]);
    const two = { a: { gain: 1, lower: 0, upper: 1 }, b: { gain: 1, lower: 0, upper: 1 }, c: { gain: 1, lower: 0.1, upper: 1 } };
    expect(yolov5Weighted.configure({}).review({ a: 0, b: 0.5, c: 0 }, two)).toEqual([
      "hyp a starts at 0 with a gain > 0: multiplicative mutation can never move it (YOLOv5's default hyps do this too); " +
        'to evolve it, give a non-zero starting value in the hyp file, set gain 0 in the space to fix it and silence this, or breed with --parent ultralytics (additive steps move 0)',
    ]);
    expect(yolov5Single.configure({}).review({ a: 0.1, b: 0.5, c: 0 }, two)).toEqual([]);
  });

  it.each([
    [{ topN: 0 }, /params\.topN/],
    [{ topN: 2.5 }, /params\.topN/],
    [{ mutationProbability: 1.5 }, /params\.mutationProbability/],
    [{ sigma: -1 }, /params\.sigma/],
    [{ tournament: 3 }, /tournament/],
  ])('refuse bad params %j naming the field', (params, message) => {
    let thrown: unknown;
    try {
      yolov5Single.configure(params);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(GaInputError);
    expect((thrown as Error).message).toMatch(message);
    expect((thrown as Error).message).toMatch(/^strategy single: .*it takes topN, mutationProbability and sigma$/);
  });
});
