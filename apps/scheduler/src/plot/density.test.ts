import { describe, expect, it } from 'vitest';
import { pointDensity } from './density.js';

describe('pointDensity', () => {
  it('gives the densest cell 1, lone points 0 and the rest between, on a log scale', () => {
    const xs = [0, 0, 0, 0.001, 0.5, 0.5, 1];
    const ys = [0, 0, 0, 0, 0.5, 0.5, 1];
    const d = pointDensity(xs, ys);
    expect(d.slice(0, 4)).toEqual([1, 1, 1, 1]);
    expect(d[4]).toBeCloseTo(Math.log(2) / Math.log(4), 12);
    expect(d[6]).toBe(0);
  });

  it('handles no points, one point, all points apart and constant values', () => {
    expect(pointDensity([], [])).toEqual([]);
    expect(pointDensity([3], [4])).toEqual([0]);
    expect(pointDensity([0, 1, 2], [0, 1, 2])).toEqual([0, 0, 0]);
    expect(pointDensity([2, 2, 2], [1, 5, 9])).toEqual([0, 0, 0]);
    expect(pointDensity([2, 2, 2], [1, 1, 1])).toEqual([1, 1, 1]);
  });

  it('refuses mismatched lengths', () => {
    expect(() => pointDensity([1, 2], [1])).toThrow(/2 x values but 1 y values/);
  });
});
