import type { Rng } from './prng.js';

/** A square matrix as rows. */
export type Matrix = number[][];

/** The unbiased sample covariance (divisor n − 1) of `rows` (n observations of d variables); d × d zeros for n < 2. */
export function sampleCovariance(rows: readonly (readonly number[])[], d: number): Matrix {
  const n = rows.length;
  const mean = Array.from({ length: d }, (_, j) => rows.reduce((sum, row) => sum + (row[j] ?? 0), 0) / Math.max(n, 1));
  const covariance = Array.from({ length: d }, () => new Array<number>(d).fill(0));
  if (n < 2) return covariance;
  for (let i = 0; i < d; i++) {
    for (let j = 0; j <= i; j++) {
      let sum = 0;
      for (const row of rows) sum += ((row[i] ?? 0) - (mean[i] ?? 0)) * ((row[j] ?? 0) - (mean[j] ?? 0));
      const value = sum / (n - 1);
      (covariance[i] ?? [])[j] = value;
      (covariance[j] ?? [])[i] = value;
    }
  }
  return covariance;
}

/**
 * The lower-triangular L with L·Lᵀ = `matrix`, for a symmetric positive definite matrix; null
 * when a pivot is not positive (the matrix is not positive definite).
 */
export function cholesky(matrix: Matrix): Matrix | null {
  const d = matrix.length;
  const lower = Array.from({ length: d }, () => new Array<number>(d).fill(0));
  for (let i = 0; i < d; i++) {
    const row = lower[i] ?? [];
    for (let j = 0; j <= i; j++) {
      const other = lower[j] ?? [];
      let sum = matrix[i]?.[j] ?? 0;
      for (let k = 0; k < j; k++) sum -= (row[k] ?? 0) * (other[k] ?? 0);
      if (i === j) {
        if (!(sum > 0)) return null;
        row[i] = Math.sqrt(sum);
      } else {
        row[j] = sum / (other[j] ?? 1);
      }
    }
  }
  return lower;
}

/** One draw of N(mean, L·Lᵀ) given the Cholesky factor L: mean + L·z with z standard normal, drawn in order. */
export function correlatedNormal(mean: readonly number[], factor: Matrix, rng: Rng): number[] {
  const z = mean.map(() => rng.normal());
  return mean.map((m, i) => {
    const row = factor[i] ?? [];
    let sum = m;
    for (let k = 0; k <= i; k++) sum += (row[k] ?? 0) * (z[k] ?? 0);
    return sum;
  });
}
