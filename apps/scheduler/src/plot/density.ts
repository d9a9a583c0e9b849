/**
 * How crowded each point's neighbourhood is, in [0, 1]: points are binned on a `bins`×`bins`
 * grid over their own ranges and each gets log(count of its cell) / log(count of the densest
 * cell), so a lone point is 0 (dark) and the densest cell 1 (bright); with no cell holding
 * two points, all are 0. The log keeps a few lone points distinct from a dense cluster.
 */
export function pointDensity(xs: readonly number[], ys: readonly number[], bins = 20): number[] {
  if (xs.length !== ys.length) throw new RangeError(`pointDensity: ${xs.length} x values but ${ys.length} y values`);
  if (xs.length === 0) return [];
  const xCell = cellOf(xs, bins);
  const yCell = cellOf(ys, bins);
  const counts = new Map<number, number>();
  const cells = xs.map((_, i) => (xCell[i] ?? 0) * bins + (yCell[i] ?? 0));
  for (const cell of cells) counts.set(cell, (counts.get(cell) ?? 0) + 1);
  const top = Math.log(Math.max(...counts.values()));
  return cells.map((cell) => (top > 0 ? Math.log(counts.get(cell) ?? 1) / top : 0));
}

function cellOf(values: readonly number[], bins: number): number[] {
  let min = Infinity;
  let max = -Infinity;
  for (const v of values) {
    if (v < min) min = v;
    if (v > max) max = v;
  }
  const span = max - min;
  return values.map((v) => (span > 0 ? Math.min(bins - 1, Math.floor(((v - min) / span) * bins)) : 0));
}
