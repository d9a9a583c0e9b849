/** The η of the rules whose defaults say 3: ASHA keeps the top third; default rungs are spaced by it. */
export const DEFAULT_PRUNE_ETA = 3;

/**
 * How many *other* trials must have reached a rung before a trial there can be pruned. Five:
 * the median (or top third) of fewer is mostly the noise of one or two runs, and Optuna's
 * MedianPruner waits for five startup trials too. With W workers starting together the first
 * W trials reach each rung nearly at once, so in practice pruning starts after about W + 5.
 */
export const MIN_PEERS_AT_RUNG = 5;

/**
 * Pruning as a campaign runs it, compiled once at enqueue by its rule's configure (see
 * configurePruning) and carried in every trial job: the rule (`mode`, a `--prune` value), the
 * rungs (in epochs done, ascending), η and the window. Campaigns in Redis keep this shape.
 */
export interface PruneSettings {
  /** `none`, or the name of a rule in PRUNE_RULES. */
  readonly mode: string;
  /** Epoch counts after which a trial is compared: 1 is "after its first epoch". Empty for `none`. */
  readonly rungs: readonly number[];
  readonly eta: number;
  /** See {@link MIN_PEERS_AT_RUNG}. */
  readonly minPeers: number;
  /**
   * A trial at a rung is judged against the last `window` other trials that reached it before it,
   * in arrival order. null: against every trial that ever reached it, in any order (`window=all`,
   * and every campaign created before windows: they read and decide as they always did).
   */
  readonly window: number | null;
  /** A rule's params beyond rungs, η and window, by name (rung-rule.ts's OwnParam); absent when it has none, as median, asha and fast. */
  readonly params?: Readonly<Record<string, number>> | undefined;
}

export const NO_PRUNING: PruneSettings = Object.freeze({ mode: 'none', rungs: Object.freeze([]), eta: DEFAULT_PRUNE_ETA, minPeers: MIN_PEERS_AT_RUNG, window: null });

/**
 * The default rungs of a trainer that runs `epochs` epochs: ⌊epochs/η^k⌉ for k = 1, 2, …
 * down to 1, ascending, without repeats — successive halving's geometric spacing, so each rung
 * costs about 1/η of the next. 10 epochs, η = 3 → [1, 3]; 300 → [1, 4, 11, 33, 100];
 * 2 → [1]; 1 → [] (no epoch before the last).
 */
export function defaultRungs(epochs: number, eta: number = DEFAULT_PRUNE_ETA): number[] {
  const rungs = new Set<number>();
  for (let at = epochs / eta; Math.round(at) >= 1; at /= eta) {
    const rung = Math.round(at);
    if (rung < epochs) rungs.add(rung);
  }
  return [...rungs].sort((a, b) => a - b);
}
