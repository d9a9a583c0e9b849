import { describe, expect, it } from 'vitest';
import { pointDensity } from './density.js';

describe('pointDensity', () => {
  it('gives the densest cell 1 and lone points less, on a log scale', () => {
    const xs = [0, 0, 0, 0.001, 1];
    const ys = [0, 0, 0, 0, 1];
    const d = pointDensity(xs, ys);
    expect(d.slice(0, 4)).toEqual([1, 1, 1, 1]);
    expect(d[4]).toBeCloseTo(Math.log1p(1) / Math.log1p(4), 12);
  });

  it('handles no points, one point and constant values', () => {
    expect(pointDensity([], [])).toEqual([]);
    expect(pointDensity([3], [4])).toEqual([1]);
    expect(pointDensity([2, 2, 2], [1, 5, 9])).toEqual([1, 1, 1]);
  });

  it('refuses mismatched lengths', () => {
    expect(() => pointDensity([1, 2], [1])).toThrow(/2 x values but 1 y values/);
  });
});
