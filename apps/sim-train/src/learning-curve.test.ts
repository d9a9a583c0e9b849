import { describe, expect, it } from 'vitest';
import { CURVE_REFERENCE_SPREAD, qualityAfter, runLuck, type CurveShape } from './learning-curve.js';
import { qualityFitness } from './landscape.js';
import { seededGaussian } from './seeded-random.js';

/** Spearman's rank correlation (no ties in these draws). */
function spearman(xs: readonly number[], ys: readonly number[]): number {
  const ranks = (values: readonly number[]) => {
    const order = values.map((v, i) => [v, i] as const).sort((a, b) => a[0] - b[0]);
    const rank = new Array<number>(values.length);
    order.forEach(([, i], r) => (rank[i] = r));
    return rank;
  };
  const rx = ranks(xs);
  const ry = ranks(ys);
  const n = xs.length;
  let d2 = 0;
  for (let i = 0; i < n; i++) d2 += ((rx[i] ?? 0) - (ry[i] ?? 0)) ** 2;
  return 1 - (6 * d2) / (n * (n * n - 1));
}

/** Many seeded trials whose final quality spreads like the reference. */
const TRIALS = Array.from({ length: 4000 }, (_, i) => ({
  finalQuality: 0.45 + CURVE_REFERENCE_SPREAD * seededGaussian(7, `final-${i}`),
  luck: runLuck(7, `${i}-1`),
}));

describe('learning curves', () => {
  for (const rankCorrelation of [0.3, 0.6, 0.9]) {
    it(`give the requested rank correlation ${rankCorrelation} between the fitness at the first rung and the final one`, () => {
      const shape: CurveShape = { epochs: 10, rankCorrelation, firstRung: 1 };
      const atRung = TRIALS.map((t) => qualityFitness(qualityAfter(shape, t.finalQuality, t.luck, 1)));
      const final = TRIALS.map((t) => qualityFitness(qualityAfter(shape, t.finalQuality, t.luck, 10)));
      expect(Math.abs(spearman(atRung, final) - rankCorrelation)).toBeLessThan(0.03);
    });
  }

  it('predict the end better at later rungs', () => {
    const shape: CurveShape = { epochs: 10, rankCorrelation: 0.6, firstRung: 1 };
    const at = (e: number) => TRIALS.map((t) => qualityAfter(shape, t.finalQuality, t.luck, e));
    const final = at(10);
    expect(spearman(at(3), final)).toBeGreaterThan(spearman(at(1), final) + 0.05);
  });

  it('end exactly at the final quality, whatever the luck', () => {
    const shape: CurveShape = { epochs: 5, rankCorrelation: 0.5, firstRung: 2 };
    for (const t of TRIALS.slice(0, 50)) expect(qualityAfter(shape, t.finalQuality, t.luck, 5)).toBe(t.finalQuality);
  });

  it('cross: a run behind another at the first rung can finish ahead of it', () => {
    const shape: CurveShape = { epochs: 10, rankCorrelation: 0.6, firstRung: 1 };
    const [a, b] = [
      { finalQuality: 0.5, luck: -1 },
      { finalQuality: 0.45, luck: 1 },
    ];
    expect(qualityAfter(shape, a.finalQuality, a.luck, 1)).toBeLessThan(qualityAfter(shape, b.finalQuality, b.luck, 1));
    expect(qualityAfter(shape, a.finalQuality, a.luck, 10)).toBeGreaterThan(qualityAfter(shape, b.finalQuality, b.luck, 10));
  });

  it('never cross at rank correlation 1: every run climbs the same curve to its own end', () => {
    const shape: CurveShape = { epochs: 10, rankCorrelation: 1, firstRung: 1 };
    const atRung = TRIALS.slice(0, 200).map((t) => qualityAfter(shape, t.finalQuality, t.luck, 1));
    const final = TRIALS.slice(0, 200).map((t) => t.finalQuality);
    expect(spearman(atRung, final)).toBe(1);
  });

  it('give each run its own luck, the same on every rerun of that run', () => {
    expect(runLuck(3, '5-1')).toBe(runLuck(3, '5-1'));
    expect(runLuck(3, '5-1')).not.toBe(runLuck(3, '5-2'));
  });
});
