/**
 * A prune rule turns the fitness of the trials that reached a rung into a cut: a trial at that
 * rung whose fitness is below the cut stops. Rules are entries of {@link PRUNE_RULES}, not
 * branches; a new rule is a new entry and its test.
 */
export interface PruneRule {
  /** One line for `--help` and the docs. */
  readonly summary: string;
  /**
   * The fitness a trial must reach at a rung to go on. `own` is the trial's fitness there,
   * `peers` the fitness there of every other trial of the campaign that reached the rung
   * (running, finished or pruned); all finite, `peers` not empty.
   */
  cut(own: number, peers: readonly number[], eta: number): number;
}

/** Optuna's MedianPruner rule: go on only at or above the median of the others at the rung. */
export const medianRule: PruneRule = Object.freeze({
  summary: "stop a trial whose fitness at a rung is below the median of the other trials' fitness there",
  cut(_own: number, peers: readonly number[]): number {
    const sorted = [...peers].sort((a, b) => a - b);
    const middle = sorted.length >> 1;
    const upper = sorted[middle] ?? Number.NaN;
    return sorted.length % 2 === 1 ? upper : ((sorted[middle - 1] ?? upper) + upper) / 2;
  },
});

/**
 * Asynchronous successive halving (ASHA): of the n trials at a rung, this one included, only
 * the top max(1, ⌊n/η⌋) go on. Asynchronous, as in Ray Tune's AsyncHyperBand: a trial is judged
 * against the trials that reached the rung before it, never waits for a full bracket.
 */
export const ashaRule: PruneRule = Object.freeze({
  summary: 'keep the top 1/eta of the trials that reached a rung, stop the rest',
  cut(own: number, peers: readonly number[], eta: number): number {
    const all = [own, ...peers].sort((a, b) => b - a);
    const keep = Math.max(1, Math.floor(all.length / eta));
    return all[keep - 1] ?? Number.NaN;
  },
});

/** Every prune rule by the `--prune` value that selects it; `none` has no rule. */
export const PRUNE_RULES = {
  median: medianRule,
  asha: ashaRule,
} as const satisfies Record<string, PruneRule>;

export type PruneRuleName = keyof typeof PRUNE_RULES;
