import { describe, expect, it } from 'vitest';
import { cholesky, correlatedNormal, sampleCovariance } from './gaussian.js';
import { trialRng } from './prng.js';

describe('gaussian helpers', () => {
  it('sampleCovariance divides by n − 1, as numpy.cov does', () => {
    expect(sampleCovariance([[1, 2], [3, 6], [5, 10]], 2)).toEqual([[4, 8], [8, 16]]);
    expect(sampleCovariance([[1, 2]], 2)).toEqual([[0, 0], [0, 0]]);
  });

  it('cholesky gives L with L·Lᵀ = the matrix, and null for one that is not positive definite', () => {
    const m = [[4, 2, 0.4], [2, 5, 1], [0.4, 1, 3]];
    const l = cholesky(m);
    if (l === null) throw new Error('expected a factor');
    for (let i = 0; i < 3; i++) {
      for (let j = 0; j < 3; j++) {
        const product = [0, 1, 2].reduce((sum, k) => sum + (l[i]?.[k] ?? 0) * (l[j]?.[k] ?? 0), 0);
        expect(product).toBeCloseTo(m[i]?.[j] ?? Number.NaN, 12);
      }
    }
    expect(cholesky([[1, 2], [2, 1]])).toBeNull();
  });

  it('correlatedNormal draws with the covariance of its factor', () => {
    const l = cholesky([[1, 0.8], [0.8, 1]]);
    if (l === null) throw new Error('expected a factor');
    const rng = trialRng(3, 3);
    const draws = Array.from({ length: 20_000 }, () => correlatedNormal([1, -1], l, rng));
    const covariance = sampleCovariance(draws, 2);
    expect(covariance[0]?.[0]).toBeCloseTo(1, 1);
    expect(covariance[0]?.[1]).toBeCloseTo(0.8, 1);
    expect(draws.reduce((sum, d) => sum + (d[1] ?? 0), 0) / draws.length).toBeCloseTo(-1, 1);
  });
});
