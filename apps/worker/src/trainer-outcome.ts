import type { PrunedAt } from '@hyperevolve/contract';

/** How a trainer process ended, as {@link TrainerProcess} saw it. */
export type TrainerOutcome =
  | { readonly kind: 'exited'; readonly exitCode: number }
  | { readonly kind: 'signalled'; readonly signal: string }
  | { readonly kind: 'timed-out'; readonly timeoutMs: number }
  /** No new epoch within the campaign's --stall-timeout; the run was killed. */
  | { readonly kind: 'stalled'; readonly stallMs: number }
  /** Below the cut at a rung (`--prune`): the worker stopped the run, which ends the trial as pruned. */
  | { readonly kind: 'pruned'; readonly at: PrunedAt }
  /** The worker is stopping and killed the run; the job goes back to the queue. */
  | { readonly kind: 'interrupted' }
  | { readonly kind: 'spawn-error'; readonly code: string | undefined; readonly message: string };
