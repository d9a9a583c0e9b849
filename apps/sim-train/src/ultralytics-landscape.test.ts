import { describe, expect, it } from 'vitest';
import { ULTRALYTICS_TUNER_BASE_HYP, ULTRALYTICS_TUNER_SPACE } from '@hyperevolve/ga-core';
import { landscapeFitness } from './landscape.js';
import { ULTRALYTICS_LANDSCAPE, ULTRALYTICS_LANDSCAPE_TERMS } from './ultralytics-landscape.js';

describe('the Ultralytics landscape', () => {
  it("has a term for each hyp of the Tuner's space, its default the Tuner's first trial and its optimum inside the bounds", () => {
    expect(Object.keys(ULTRALYTICS_LANDSCAPE_TERMS)).toEqual(Object.keys(ULTRALYTICS_TUNER_SPACE));
    for (const [name, term] of Object.entries(ULTRALYTICS_LANDSCAPE_TERMS)) {
      expect(term.default, name).toBe(ULTRALYTICS_TUNER_BASE_HYP[name]);
      expect(term.optimum, name).toBeGreaterThanOrEqual(ULTRALYTICS_TUNER_SPACE[name]?.lower ?? Number.NaN);
      expect(term.optimum, name).toBeLessThanOrEqual(ULTRALYTICS_TUNER_SPACE[name]?.upper ?? Number.NaN);
    }
  });

  it('rises from ≈ 0.28 at the defaults to ≈ 0.78 at its optimum, and rewards moving the hyps at 0 that it wants moved', () => {
    const optimum = Object.fromEntries(Object.entries(ULTRALYTICS_LANDSCAPE_TERMS).map(([name, term]) => [name, term.optimum]));
    expect(landscapeFitness(ULTRALYTICS_TUNER_BASE_HYP, ULTRALYTICS_LANDSCAPE)).toBeCloseTo(0.28, 1);
    expect(landscapeFitness(optimum, ULTRALYTICS_LANDSCAPE)).toBeCloseTo(0.78, 1);
    const atZero = { ...optimum, cls_pw: 0, degrees: 0, mixup: 0, cutmix: 0 };
    expect(landscapeFitness(atZero, ULTRALYTICS_LANDSCAPE)).toBeLessThan(landscapeFitness(optimum, ULTRALYTICS_LANDSCAPE) - 0.05);
  });
});
