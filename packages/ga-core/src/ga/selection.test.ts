import { describe, expect, it } from 'vitest';
import { GaInputError } from '../ga-input-error.js';
import { trialRng } from './prng.js';
import type { Rng } from './prng.js';
import { TOP_N, selectParent } from './selection.js';
import type { Scored } from './selection.js';

const trial = (id: number, fitness: number, hyp: Record<string, number> = { a: id, b: 10 * id }): Scored => ({ id, fitness, hyp });

/** An Rng that counts draws and refuses to be used beyond `limit`. */
function countingRng(inner: Rng, limit = Number.POSITIVE_INFINITY): Rng & { calls: number } {
  const rng = {
    calls: 0,
    next: () => {
      if (++rng.calls > limit) throw new Error('rng used too often');
      return inner.next();
    },
    normal: () => {
      if (++rng.calls > limit) throw new Error('rng used too often');
      return inner.normal();
    },
  };
  return rng;
}

describe('selectParent', () => {
  it('pools the top min(5, n) by fitness, best first, whatever the input order', () => {
    const population = [trial(1, 0.1), trial(2, 0.6), trial(3, 0.3), trial(4, 0.5), trial(5, 0.2), trial(6, 0.4), trial(7, 0.05)];
    expect(TOP_N).toBe(5);
    expect(selectParent(population, 'single', trialRng(1, 0)).pool).toEqual([2, 4, 6, 3, 5]);
    expect(selectParent(population.slice(0, 2), 'single', trialRng(1, 0)).pool).toEqual([2, 1]);
  });

  it('breaks fitness ties by input order and never uses non-finite fitness', () => {
    const population = [trial(1, 0.5), trial(2, Number.NaN), trial(3, 0.5), trial(4, Number.POSITIVE_INFINITY), trial(5, 0.5)];
    expect(selectParent(population, 'weighted', trialRng(1, 0)).pool).toEqual([1, 3, 5]);
  });

  it('draws parents with probability ∝ f − min(f) + 1e-6 (chi-square over 100,000 draws)', () => {
    // A sixth, worse trial is outside the pool and must never be drawn.
    const population = [trial(1, 0.2), trial(2, 0.5), trial(3, 0.1), trial(4, 0.4), trial(5, 0.3), trial(6, 0.0)];
    const rng = trialRng(31, 0);
    const counts = new Map<number, number>();
    const n = 100_000;
    for (let i = 0; i < n; i++) {
      const [id, ...more] = selectParent(population, 'single', rng).parentIds;
      const key = more.length === 0 ? id! : -1; // -1 would flag a `single` draw with several parents
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    // Weights over the pool [2, 4, 5, 1, 3]: 0.4, 0.3, 0.2, 0.1 and 1e-6 (the pool's minimum).
    const total = 1 + 1e-6;
    const expected = new Map([[2, 0.4 / total], [4, 0.3 / total], [5, 0.2 / total], [1, 0.1 / total]]);
    let chi2 = 0;
    for (const [id, p] of expected) chi2 += ((counts.get(id) ?? 0) - n * p) ** 2 / (n * p);
    // 3 degrees of freedom (the 1e-6 cell is checked apart): p = 0.001 → 16.27.
    expect(chi2).toBeLessThan(16.27);
    // Expected 0.1 draws of the pool's worst: Poisson P(≥ 4) ≈ 4e-6.
    expect(counts.get(3) ?? 0).toBeLessThan(4);
    expect(counts.get(6)).toBeUndefined();
    expect(counts.get(-1)).toBeUndefined();
  });

  it('single: returns the chosen parent hyp itself, using one uniform draw', () => {
    const population = [trial(1, 0.9), trial(2, 0.1)];
    const rng = countingRng(trialRng(2, 0));
    const selection = selectParent(population, 'single', rng);
    expect(rng.calls).toBe(1);
    expect(selection.hyp).toBe(population.find((t) => t.id === selection.parentIds[0])!.hyp);
  });

  it('a single trial is always its own parent', () => {
    const rng = trialRng(3, 0);
    for (let i = 0; i < 100; i++) expect(selectParent([trial(9, -3)], 'single', rng).parentIds).toEqual([9]);
  });

  it('weighted: the w-weighted mean of the pool, all of it as parents, no randomness used', () => {
    const population = [
      trial(1, 0.3, { a: 1, b: 100 }),
      trial(2, 0.5, { a: 2, b: 200 }),
      trial(3, 0.1, { a: 4, b: 400 }),
    ];
    const rng = countingRng(trialRng(4, 0), 0);
    const selection = selectParent(population, 'weighted', rng);
    const w = { 2: 0.4 + 1e-6, 1: 0.2 + 1e-6, 3: 1e-6 };
    const sum = w[1] + w[2] + w[3];
    expect(selection.parentIds).toEqual([2, 1, 3]);
    expect(selection.pool).toEqual([2, 1, 3]);
    expect(selection.hyp.a).toBeCloseTo((w[1] * 1 + w[2] * 2 + w[3] * 4) / sum, 12);
    expect(selection.hyp.b).toBeCloseTo((w[1] * 100 + w[2] * 200 + w[3] * 400) / sum, 10);
    expect(Object.keys(selection.hyp)).toEqual(['a', 'b']);
  });

  it('weighted: averages only the given keys, and names a parent lacking one', () => {
    const population = [trial(1, 0.3, { a: 1, b: 2 }), trial(2, 0.5, { a: 3 })];
    expect(Object.keys(selectParent(population, 'weighted', trialRng(1, 0), ['a']).hyp)).toEqual(['a']);
    expect(() => selectParent(population, 'weighted', trialRng(1, 0), ['a', 'b'])).toThrow(/trial 2 has no finite value for hyp b/);
  });

  it('throws on an empty population, or one with no finite fitness', () => {
    expect(() => selectParent([], 'single', trialRng(1, 0))).toThrow(GaInputError);
    expect(() => selectParent([trial(1, Number.NaN)], 'weighted', trialRng(1, 0))).toThrow(/no trial with a finite fitness \(1 given\)/);
  });
});
