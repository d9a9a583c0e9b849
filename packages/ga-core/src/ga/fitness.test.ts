import { describe, expect, it } from 'vitest';
import { GaInputError } from '../ga-input-error.js';
import { metricRecord } from '../metrics.js';
import { YOLOV5_METRIC_NAMES, yolov5Profile } from '../trainers/yolov5.js';
import { fitness } from './fitness.js';

const seven = (values: number[]) => metricRecord(YOLOV5_METRIC_NAMES, values);
const metrics = seven([0.5, 0.4, 0.3, 0.2, 0.05, 0.04, 0.03]);
const OVER = yolov5Profile.fitnessMetrics;
const DEFAULT = yolov5Profile.defaultFitnessWeights;

describe('fitness', () => {
  it("uses YOLOv5's default weights [0, 0, 0.1, 0.9]", () => {
    expect(DEFAULT).toEqual([0, 0, 0.1, 0.9]);
    expect(fitness(metrics, DEFAULT, OVER)).toBeCloseTo(0.1 * 0.3 + 0.9 * 0.2, 15);
  });

  it('takes per-campaign weights over P, R, mAP@.5, mAP@.5:.95 and ignores the losses', () => {
    expect(fitness(metrics, [1, 0, 0, 0], OVER)).toBe(0.5);
    expect(fitness(metrics, [0, 1, 0, 0], OVER)).toBe(0.4);
    expect(fitness(metrics, [0.25, 0.25, 0.25, 0.25], OVER)).toBeCloseTo(0.35, 15);
    expect(fitness(seven([0, 0, 0, 0, 9, 9, 9]), [1, 1, 1, 1], OVER)).toBe(0);
  });

  it('finds the metrics by name, in whatever order the record holds them', () => {
    const shuffled = Object.fromEntries(Object.entries(metrics).reverse());
    expect(fitness(shuffled, DEFAULT, OVER)).toBe(fitness(metrics, DEFAULT, OVER));
  });

  it('is NaN when a weighted metric is NaN or missing, and ignores NaN under weight 0', () => {
    expect(fitness(seven([0.5, 0.4, 0.3, Number.NaN, 0, 0, 0]), DEFAULT, OVER)).toBeNaN();
    expect(fitness({ 'metrics/mAP_0.5': 0.3 }, DEFAULT, OVER)).toBeNaN();
    expect(fitness(seven([Number.NaN, Number.NaN, 0.3, 0.2, Number.NaN, 0, 0]), DEFAULT, OVER)).toBeCloseTo(0.21, 15);
  });

  it('rejects non-finite weights, and a weight count the metrics do not match', () => {
    expect(() => fitness(metrics, [0, 0, Number.NaN, 1], OVER)).toThrow(GaInputError);
    expect(() => fitness(metrics, [0, 0, Number.POSITIVE_INFINITY, 1], OVER)).toThrow(/weight 2/);
    expect(() => fitness(metrics, [0.1, 0.9], OVER)).toThrow(/expected 4 fitness weights over \[metrics\/precision/);
  });
});
