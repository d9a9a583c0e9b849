/**
 * How much each evolved hyp explains fitness, computed from a campaign's population: the
 * ranking optuna-dashboard users look for beside a parallel-coordinates plot.
 *
 * Method: for each hyp, the population's trials are sorted by that hyp and cut into k bins of
 * about equal size (ties stay in one bin; k = ⌊√n⌋ within 2..10). The share of fitness
 * variance that the bins' means explain is the correlation ratio η² = SS_between / SS_total;
 * with few trials η² is biased upwards by chance alone, so the chance-corrected
 * ε² = (SS_between − (k−1)·MS_within) / SS_total is used, floored at 0 (Kelley's epsilon-squared).
 * A hyp's importance is its ε² over the sum of all hyps' ε², so the ranking sums to 1, as
 * Optuna's importances do. Binning catches effects that are not monotonic (an optimum in the
 * middle of the range); the Spearman rank correlation is reported beside it for the direction
 * of a monotonic effect.
 *
 * What it is not: each hyp is judged alone. In an evolved population hyps move together (a
 * child inherits all of its parent's hyps), so a hyp riding along with an important one shares
 * some of its credit; fANOVA (Optuna's default) models interactions with a random forest and
 * separates them better, at far more cost.
 */

/** A scored trial: its hyps and its fitness (non-finite fitness is left out). */
export interface ImportancePoint {
  readonly hyp: Readonly<Record<string, number>>;
  readonly fitness: number;
}

export interface HypImportance {
  readonly name: string;
  /** Share of the explained fitness variance, 0..1; all hyps together sum to 1 when any explains some. */
  readonly importance: number;
  /** Fitness variance this hyp alone explains, chance-corrected (ε²), 0..1. */
  readonly explained: number;
  /** Spearman rank correlation of the hyp with fitness, −1..1 (0 when the hyp never moved). */
  readonly rankCorrelation: number;
  /** Distinct values of the hyp in the population; 1: it never moved. */
  readonly distinct: number;
}

/** Fewer scored trials than this say nothing about importance: the result is null. */
export const IMPORTANCE_MIN_TRIALS = 8;
const MAX_BINS = 10;

/**
 * The hyps named, ranked by importance (highest first; ties by name). Trials without a finite
 * fitness, or without a finite value for a hyp, are left out of that hyp's figures.
 * @returns null when fewer than {@link IMPORTANCE_MIN_TRIALS} trials have a finite fitness.
 */
export function hypImportance(points: readonly ImportancePoint[], names: readonly string[]): HypImportance[] | null {
  const scored = points.filter((p) => Number.isFinite(p.fitness));
  if (scored.length < IMPORTANCE_MIN_TRIALS) return null;
  const raw = names.map((name) => {
    const pairs = scored.flatMap((p) => {
      const value = p.hyp[name];
      return value !== undefined && Number.isFinite(value) ? [{ value, fitness: p.fitness }] : [];
    });
    return { name, ...oneHyp(pairs) };
  });
  const total = raw.reduce((sum, r) => sum + r.explained, 0);
  return raw
    .map((r) => ({ ...r, importance: total > 0 ? r.explained / total : 0 }))
    .sort((a, b) => b.importance - a.importance || a.name.localeCompare(b.name));
}

function oneHyp(pairs: readonly { value: number; fitness: number }[]): { explained: number; rankCorrelation: number; distinct: number } {
  const distinct = new Set(pairs.map((p) => p.value)).size;
  if (distinct < 2 || pairs.length < IMPORTANCE_MIN_TRIALS) return { explained: 0, rankCorrelation: 0, distinct };
  const sorted = [...pairs].sort((a, b) => a.value - b.value);
  return { explained: epsilonSquared(sorted, binsOf(sorted)), rankCorrelation: spearman(sorted), distinct };
}

/** Bin number of each pair (sorted by value): about n/k pairs each, equal values never split. */
function binsOf(sorted: readonly { value: number }[]): number[] {
  const n = sorted.length;
  const k = Math.max(2, Math.min(MAX_BINS, Math.floor(Math.sqrt(n))));
  const size = n / k;
  const bins: number[] = [];
  let bin = 0;
  let inBin = 0;
  for (let i = 0; i < n; i++) {
    if (i > 0 && inBin >= size && sorted[i]?.value !== sorted[i - 1]?.value && bin < k - 1) {
      bin += 1;
      inBin = 0;
    }
    bins.push(bin);
    inBin += 1;
  }
  return bins;
}

function epsilonSquared(sorted: readonly { fitness: number }[], bins: readonly number[]): number {
  const n = sorted.length;
  const mean = sorted.reduce((sum, p) => sum + p.fitness, 0) / n;
  const total = sorted.reduce((sum, p) => sum + (p.fitness - mean) ** 2, 0);
  if (!(total > 0)) return 0;
  const sums = new Map<number, { sum: number; count: number }>();
  sorted.forEach((p, i) => {
    const bin = bins[i] ?? 0;
    const entry = sums.get(bin) ?? { sum: 0, count: 0 };
    entry.sum += p.fitness;
    entry.count += 1;
    sums.set(bin, entry);
  });
  const k = sums.size;
  if (k < 2 || n <= k) return 0;
  let between = 0;
  for (const { sum, count } of sums.values()) between += count * (sum / count - mean) ** 2;
  const within = total - between;
  const corrected = (between - (k - 1) * (within / (n - k))) / total;
  return Math.min(1, Math.max(0, corrected));
}

/** Spearman's ρ: Pearson's r of the ranks, ties given their average rank. */
function spearman(sortedByValue: readonly { value: number; fitness: number }[]): number {
  const valueRanks = averageRanks(sortedByValue.map((p) => p.value));
  const fitnessRanks = averageRanks(sortedByValue.map((p) => p.fitness));
  return pearson(valueRanks, fitnessRanks);
}

function averageRanks(values: readonly number[]): number[] {
  const order = values.map((value, i) => ({ value, i })).sort((a, b) => a.value - b.value);
  const ranks = new Array<number>(values.length).fill(0);
  for (let start = 0; start < order.length; ) {
    let end = start;
    while (end + 1 < order.length && order[end + 1]?.value === order[start]?.value) end += 1;
    const rank = (start + end) / 2 + 1;
    for (let j = start; j <= end; j++) ranks[order[j]?.i ?? 0] = rank;
    start = end + 1;
  }
  return ranks;
}

function pearson(a: readonly number[], b: readonly number[]): number {
  const n = a.length;
  const meanA = a.reduce((s, x) => s + x, 0) / n;
  const meanB = b.reduce((s, x) => s + x, 0) / n;
  let cov = 0;
  let varA = 0;
  let varB = 0;
  for (let i = 0; i < n; i++) {
    const da = (a[i] ?? 0) - meanA;
    const db = (b[i] ?? 0) - meanB;
    cov += da * db;
    varA += da * da;
    varB += db * db;
  }
  return varA > 0 && varB > 0 ? cov / Math.sqrt(varA * varB) : 0;
}
