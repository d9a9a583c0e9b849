import type { PrunedAt } from '@hyperevolve/contract';
import type { RunProcesses } from './containment/reap-run.mjs';

/**
 * Why a run is stopped before it ends by itself: the one verdict a stop carries, which is then
 * the run's outcome (the first verdict wins; a run that exits first ends as it exited).
 */
export type StopVerdict =
  /** Past the campaign's trial timeout. */
  | { readonly kind: 'timed-out'; readonly timeoutMs: number }
  /** No new epoch within the campaign's --stall-timeout. */
  | { readonly kind: 'stalled'; readonly stallMs: number }
  /** Below the cut at a rung (`--prune`): the trial ends as pruned. */
  | { readonly kind: 'pruned'; readonly at: PrunedAt }
  /** The worker is stopping (or lost its GPU): the job goes back to the queue. */
  | { readonly kind: 'interrupted' };

/** How a trainer run ended: by itself, or by a {@link StopVerdict}. */
export type TrainerOutcome =
  | StopVerdict
  | { readonly kind: 'exited'; readonly exitCode: number }
  | { readonly kind: 'signalled'; readonly signal: string }
  | { readonly kind: 'spawn-error'; readonly code: string | undefined; readonly message: string };

/** A started trainer run, as the trial runner drives it ({@link TrainerProcess} is the real one). */
export interface TrainerRun {
  readonly done: Promise<TrainerOutcome>;
  /** The process (and group) id of a real process; undefined when it could not start or is not one. */
  readonly pid?: number | undefined;
  /** Every process of the run, as the orphan sweep and the lease watchdog find them. */
  readonly run?: RunProcesses | undefined;
  /** Once done: processes of the run that outlived it (SIGKILL had no effect). */
  readonly leftovers?: readonly number[];
  /**
   * Once done: its output stayed open after every process of the run that the worker can see
   * was gone, so a process it cannot see (out of the run's group, its environment cleared, no
   * cgroup) may be left behind.
   */
  readonly escaped?: boolean;
  /**
   * Stops the run, which ends with `verdict` as its outcome. `graceful`: SIGTERM to its process
   * group, SIGKILL after the kill delay; `now`: SIGKILL at once, synchronously (an exit that
   * cannot wait).
   */
  stop(verdict: StopVerdict, how?: 'graceful' | 'now'): void;
}
