/** Workers forgotten after this long without a result (they left, or were renamed). */
const FORGET_MS = 24 * 3_600_000;
const PRUNE_ABOVE = 1000;

/**
 * A worker's idle time between two trials: this run's start minus the end of the same
 * worker's previous run. Workers run one trial at a time, so consecutive results of one
 * worker id bracket exactly the time it waited for work.
 */
export class DispatchGaps {
  readonly #lastEnd = new Map<string, number>();

  /** Returns the gap in ms before this run, or null for a worker's first run (or an out-of-order result). */
  next(workerId: string, startedAt: number, finishedAt: number): number | null {
    const previous = this.#lastEnd.get(workerId);
    if (previous === undefined || finishedAt > previous) this.#lastEnd.set(workerId, finishedAt);
    if (this.#lastEnd.size > PRUNE_ABOVE) this.#prune(finishedAt);
    if (previous === undefined || startedAt < previous) return null;
    return startedAt - previous;
  }

  #prune(now: number): void {
    for (const [id, end] of this.#lastEnd) if (end < now - FORGET_MS) this.#lastEnd.delete(id);
  }
}
