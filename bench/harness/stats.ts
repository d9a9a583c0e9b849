/** The q-quantile (0..1) of `values` by nearest rank; NaN for none. */
export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[rank] ?? Number.NaN;
}

export function median(values: readonly number[]): number {
  return quantile(values, 0.5);
}

export function sum(values: readonly number[]): number {
  let total = 0;
  for (const value of values) total += value;
  return total;
}

/** Rounds for display and JSON: 4 significant digits, integers as they are. */
export function round(value: number): number {
  if (!Number.isFinite(value) || Number.isInteger(value)) return value;
  return Number(value.toPrecision(4));
}

/** Spearman's rank correlation of paired values (average ranks for ties); NaN for fewer than 2 pairs. */
export function spearman(pairs: readonly (readonly [number, number])[]): number {
  if (pairs.length < 2) return Number.NaN;
  const ranks = (values: readonly number[]): number[] => {
    const order = values.map((value, i) => ({ value, i })).sort((a, b) => a.value - b.value);
    const rank = new Array<number>(values.length).fill(0);
    for (let start = 0; start < order.length; ) {
      let end = start;
      while (end + 1 < order.length && order[end + 1]?.value === order[start]?.value) end++;
      for (let k = start; k <= end; k++) rank[order[k]?.i ?? 0] = (start + end) / 2;
      start = end + 1;
    }
    return rank;
  };
  const x = ranks(pairs.map((pair) => pair[0]));
  const y = ranks(pairs.map((pair) => pair[1]));
  const mean = (pairs.length - 1) / 2;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < pairs.length; i++) {
    const dx = (x[i] ?? 0) - mean;
    const dy = (y[i] ?? 0) - mean;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  return sxy / Math.sqrt(sxx * syy);
}
