import { describe, expect, it } from 'vitest';
import { MAX_CURVE_POINTS, thinPoints } from './trial-curves.js';

describe('thinPoints', () => {
  it('keeps a curve within the bound as it is', () => {
    expect(thinPoints([1, 2, 3], 3)).toEqual([1, 2, 3]);
  });

  it('thins a long curve to the bound, evenly, keeping its first and last epochs', () => {
    const epochs = Array.from({ length: 300_000 }, (_, i) => i + 1);
    const thinned = thinPoints(epochs);
    expect(thinned).toHaveLength(MAX_CURVE_POINTS);
    expect(thinned[0]).toBe(1);
    expect(thinned.at(-1)).toBe(300_000);
    const gaps = thinned.slice(1).map((epoch, i) => epoch - (thinned[i] ?? 0));
    expect(Math.max(...gaps) - Math.min(...gaps)).toBeLessThanOrEqual(1);
    expect(thinPoints([1, 2, 3, 4, 5], 3)).toEqual([1, 3, 5]);
  });
});
