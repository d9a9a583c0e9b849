import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { GaInputError } from '../ga-input-error.js';
import { ULTRALYTICS_TUNER_BASE_HYP, ULTRALYTICS_TUNER_SPACE } from '../trainers/ultralytics-defaults.js';
import { configureStrategy } from '../strategies/registry.js';
import { breedCandidate } from './breed.js';
import { clampAndRound, mutate } from './mutation.js';
import { trialRng } from './prng.js';
import { validateSearchSpace, withIntegerHyps } from './space.js';

const space = withIntegerHyps(ULTRALYTICS_TUNER_SPACE, ['close_mosaic', 'nbs']);

describe('integer genes (a trainer that takes a hyp only as a whole number)', () => {
  it('are marked by withIntegerHyps on the names the space has, keeping its order; validateSearchSpace keeps the mark', () => {
    expect(space.close_mosaic).toEqual({ gain: 1, lower: 0, upper: 10, integer: true });
    expect(space.lr0).toEqual(ULTRALYTICS_TUNER_SPACE.lr0);
    expect(Object.keys(space)).toEqual(Object.keys(ULTRALYTICS_TUNER_SPACE));
    expect(validateSearchSpace(space)).toEqual(space);
    expect(withIntegerHyps(ULTRALYTICS_TUNER_SPACE, ['nbs'])).toBe(ULTRALYTICS_TUNER_SPACE);
  });

  it('refuse a range that holds no whole number', () => {
    expect(() => withIntegerHyps({ n: { gain: 1, lower: 0.2, upper: 0.8 } }, ['n'])).toThrow(GaInputError);
    expect(() => withIntegerHyps({ n: { gain: 1, lower: 0.2, upper: 0.8 } }, ['n'])).toThrow(/range \[0.2, 0.8\] holds none/);
  });

  it('are rounded to whole numbers (half to even, as Python), inside fractional bounds', () => {
    expect(clampAndRound({ close_mosaic: 3.5, lrf: 0.0123456 }, space)).toEqual({ close_mosaic: 4, lrf: 0.01235 });
    expect(clampAndRound({ close_mosaic: 2.5 }, space)).toEqual({ close_mosaic: 2 });
    expect(clampAndRound({ n: 0.4 }, { n: { gain: 1, lower: 0.6, upper: 3.2, integer: true } })).toEqual({ n: 1 });
    expect(clampAndRound({ n: 3.7 }, { n: { gain: 1, lower: 0.6, upper: 3.2, integer: true } })).toEqual({ n: 3 });
  });

  it('property: every bred child holds a whole number in range for an integer gene, whatever the parents', () => {
    fc.assert(
      fc.property(fc.nat({ max: 2 ** 31 }), fc.integer({ min: 0, max: 40 }), (seed, index) => {
        const child = mutate(ULTRALYTICS_TUNER_BASE_HYP, space, trialRng(seed, index));
        const value = child.close_mosaic ?? Number.NaN;
        expect(Number.isInteger(value)).toBe(true);
        expect(value).toBeGreaterThanOrEqual(0);
        expect(value).toBeLessThanOrEqual(10);
        const bred = breedCandidate({
          base: ULTRALYTICS_TUNER_BASE_HYP,
          space,
          population: [{ id: 1, fitness: 0.5, hyp: { ...ULTRALYTICS_TUNER_BASE_HYP, close_mosaic: 7 } }],
          strategy: configureStrategy({ name: 'single', params: {} }),
          rng: trialRng(seed, index),
          first: false,
        });
        expect(Number.isInteger(bred.hyp.close_mosaic)).toBe(true);
      }),
      { numRuns: 300, seed: 11 },
    );
  });
});
