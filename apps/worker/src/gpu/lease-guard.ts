import type { RunProcesses } from '../containment/reap-run.mjs';

/**
 * What a trial run on a leased GPU is given: whether the lease still holds (a run's result
 * counts only if it does when the run ends), and the lease watchdog to tell of each run.
 */
export interface LeaseGuard {
  held(): boolean;
  runStarted(run: RunProcesses): void;
  runEnded(): void;
}
