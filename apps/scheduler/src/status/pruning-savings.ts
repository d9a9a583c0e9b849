/**
 * The device time pruning saved, estimated: each pruned trial would have run as long as a
 * typical full trial (the median of `fullRunsMs`, recent succeeded runs: start-up, every epoch,
 * validation and saving included), less the time it did run (`prunedMs`, summed). 0 before any
 * full run to compare with. In ms.
 */
export function estimateSavedMs(pruned: number, prunedMs: number, fullRunsMs: readonly number[]): number {
  if (pruned === 0 || fullRunsMs.length === 0) return 0;
  const sorted = [...fullRunsMs].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  const median = sorted.length % 2 === 1 ? (sorted[middle] ?? 0) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
  return Math.max(0, Math.round(pruned * median - prunedMs));
}
