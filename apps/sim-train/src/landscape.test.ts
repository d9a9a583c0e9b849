import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { parseHypYaml, YOLOV5_DETECTION_SPACE, type Hyp, type MetricRecord } from '@hyperevolve/ga-core';
import { describe, expect, it } from 'vitest';
import {
  LANDSCAPE_TERMS,
  landscapeFitness,
  landscapeOptimum,
  landscapeQuality,
  qualityToMetrics,
  simulatedMetrics,
  simulatedQuality,
} from './landscape.js';

const scratch = (kind: string): Hyp => parseHypYaml(readFileSync(`fixtures/yolov5/hyp.scratch-${kind}.yaml`, 'utf8'));
const DEFAULTS = scratch('low');
const fitnessOf = (m: MetricRecord): number => 0.1 * (m['metrics/mAP_0.5'] ?? NaN) + 0.9 * (m['metrics/mAP_0.5:0.95'] ?? NaN);

/** Any hyp inside YOLOv5's default search space, anchors excluded. */
const hypInSpace = fc.record(
  Object.fromEntries(
    Object.keys(LANDSCAPE_TERMS).map((name) => {
      const gene = YOLOV5_DETECTION_SPACE[name];
      if (gene === undefined) throw new Error(`no gene for ${name}`);
      return [name, fc.double({ min: gene.lower, max: gene.upper, noNaN: true })];
    }),
  ),
);

describe('landscape', () => {
  it("records hyp.scratch-low.yaml's values as its defaults", () => {
    expect(Object.keys(LANDSCAPE_TERMS)).toEqual(Object.keys(DEFAULTS));
    for (const [name, term] of Object.entries(LANDSCAPE_TERMS)) expect(term.default, name).toBe(DEFAULTS[name]);
  });

  it('scores the defaults well below the optimum (about 0.28 vs 0.78)', () => {
    expect(landscapeFitness(DEFAULTS)).toBeCloseTo(0.28, 1);
    expect(landscapeFitness(landscapeOptimum())).toBeCloseTo(0.78, 1);
    expect(landscapeFitness(landscapeOptimum()) - landscapeFitness(DEFAULTS)).toBeGreaterThan(0.4);
    expect(landscapeFitness(scratch('high'))).toBeLessThan(landscapeFitness(landscapeOptimum()));
  });

  it('puts the optimum inside the default search space, away from the defaults in ≥ 10 evolvable hyps', () => {
    const moved = Object.entries(LANDSCAPE_TERMS).filter(([name, term]) => {
      const gene = YOLOV5_DETECTION_SPACE[name];
      expect(gene, name).toBeDefined();
      expect(term.optimum, name).toBeGreaterThanOrEqual(gene?.lower ?? NaN);
      expect(term.optimum, name).toBeLessThanOrEqual(gene?.upper ?? NaN);
      return term.optimum !== term.default;
    });
    expect(moved.length).toBeGreaterThanOrEqual(10);
    // A hyp the default space freezes must not hold back the optimum.
    for (const [name, gene] of Object.entries(YOLOV5_DETECTION_SPACE)) {
      const term = LANDSCAPE_TERMS[name];
      if (gene.gain === 0 && term !== undefined) expect(term.optimum, name).toBe(term.default);
    }
  });

  it('rises as any single moved hyp goes from its default toward its optimum', () => {
    for (const [name, term] of Object.entries(LANDSCAPE_TERMS)) {
      if (term.optimum === term.default) continue;
      const halfway = term.log ? Math.sqrt(term.default * term.optimum) : (term.default + term.optimum) / 2;
      const start = landscapeFitness(DEFAULTS);
      const mid = landscapeFitness({ ...DEFAULTS, [name]: halfway });
      const end = landscapeFitness({ ...DEFAULTS, [name]: term.optimum });
      expect(mid, name).toBeGreaterThan(start);
      expect(end, name).toBeGreaterThan(mid);
    }
  });

  it('measures learning-rate-like hyps in decades', () => {
    const at = (lr0: number): number => landscapeFitness({ ...landscapeOptimum(), lr0 });
    const optimum = LANDSCAPE_TERMS.lr0?.optimum ?? NaN;
    expect(at(optimum * 10)).toBeCloseTo(at(optimum / 10), 12);
    expect(at(optimum * 10)).toBeLessThan(at(optimum * 3));
  });

  it('is the same number every time, and counts missing hyps at their default', () => {
    expect(landscapeFitness(DEFAULTS)).toBe(landscapeFitness({ ...DEFAULTS }));
    expect(landscapeFitness({})).toBe(landscapeFitness(DEFAULTS));
    expect(landscapeFitness({ ...DEFAULTS, anchors: 3, unknown: 5 })).toBe(landscapeFitness(DEFAULTS));
  });

  it('keeps fitness, quality and every metric in [0, 1], in the space and outside it', () => {
    const anyHyp = fc.dictionary(fc.constantFrom(...Object.keys(LANDSCAPE_TERMS)), fc.double({ noNaN: true }));
    fc.assert(
      fc.property(fc.oneof(hypInSpace, anyHyp), fc.integer(), fc.string(), (hyp, seed, runName) => {
        const fitness = landscapeFitness(hyp);
        expect(fitness).toBeGreaterThanOrEqual(0);
        expect(fitness).toBeLessThanOrEqual(1);
        for (const value of Object.values(simulatedMetrics(hyp, { seed, runName, sigma: 0.2 }))) {
          expect(value).toBeGreaterThanOrEqual(0);
          expect(value).toBeLessThanOrEqual(1);
        }
      }),
    );
  });

  it('derives metrics whose YOLOv5 fitness is landscapeFitness, rising with quality', () => {
    fc.assert(
      fc.property(hypInSpace, (hyp) => {
        expect(fitnessOf(qualityToMetrics(landscapeQuality(hyp)))).toBeCloseTo(landscapeFitness(hyp), 12);
      }),
    );
    const qualities = [0, 0.1, 0.3, 0.5, 0.8, 1];
    const fitnesses = qualities.map((q) => fitnessOf(qualityToMetrics(q)));
    expect([...fitnesses].sort((a, b) => a - b)).toEqual(fitnesses);
  });

  it('adds seeded noise: same (seed, run name) same metrics, other names differ, sigma 0 none', () => {
    const noise = { seed: 7, runName: 'trial-3-a1', sigma: 0.01 };
    expect(simulatedMetrics(DEFAULTS, noise)).toEqual(simulatedMetrics(DEFAULTS, { ...noise }));
    expect(simulatedQuality(DEFAULTS, noise)).not.toBe(simulatedQuality(DEFAULTS, { ...noise, runName: 'trial-3-a2' }));
    expect(simulatedQuality(DEFAULTS, noise)).not.toBe(simulatedQuality(DEFAULTS, { ...noise, seed: 8 }));
    expect(simulatedQuality(DEFAULTS, { ...noise, sigma: 0 })).toBe(landscapeQuality(DEFAULTS));
    const spread = Array.from({ length: 400 }, (_, i) => simulatedQuality(DEFAULTS, { ...noise, runName: `t${i}` }) - landscapeQuality(DEFAULTS));
    const sd = Math.sqrt(spread.reduce((sum, d) => sum + d * d, 0) / spread.length);
    expect(sd).toBeGreaterThan(0.008);
    expect(sd).toBeLessThan(0.012);
  });
});
