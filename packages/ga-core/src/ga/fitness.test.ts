import { describe, expect, it } from 'vitest';
import { GaInputError } from '../ga-input-error.js';
import type { Metrics } from '../metrics.js';
import { DEFAULT_FITNESS_WEIGHTS, fitness } from './fitness.js';

const metrics: Metrics = [0.5, 0.4, 0.3, 0.2, 0.05, 0.04, 0.03];

describe('fitness', () => {
  it("uses YOLOv5's default weights [0, 0, 0.1, 0.9]", () => {
    expect(DEFAULT_FITNESS_WEIGHTS).toEqual([0, 0, 0.1, 0.9]);
    expect(fitness(metrics)).toBeCloseTo(0.1 * 0.3 + 0.9 * 0.2, 15);
  });

  it('takes per-campaign weights over P, R, mAP@.5, mAP@.5:.95 and ignores the losses', () => {
    expect(fitness(metrics, [1, 0, 0, 0])).toBe(0.5);
    expect(fitness(metrics, [0, 1, 0, 0])).toBe(0.4);
    expect(fitness(metrics, [0.25, 0.25, 0.25, 0.25])).toBeCloseTo(0.35, 15);
    expect(fitness([0, 0, 0, 0, 9, 9, 9], [1, 1, 1, 1])).toBe(0);
  });

  it('is NaN when a weighted metric is NaN, and ignores NaN under weight 0', () => {
    expect(fitness([0.5, 0.4, 0.3, Number.NaN, 0, 0, 0])).toBeNaN();
    expect(fitness([Number.NaN, Number.NaN, 0.3, 0.2, Number.NaN, 0, 0])).toBeCloseTo(0.21, 15);
  });

  it('rejects non-finite weights', () => {
    expect(() => fitness(metrics, [0, 0, Number.NaN, 1])).toThrow(GaInputError);
    expect(() => fitness(metrics, [0, 0, Number.POSITIVE_INFINITY, 1])).toThrow(/weight 2/);
  });
});
