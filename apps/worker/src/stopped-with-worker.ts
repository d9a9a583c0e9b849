import type { TrainerOutcome } from './trainer-outcome.js';

/** What a job scheduler sends every process of a job it ends; the trainer dies of it before the worker can stop it. */
const STOP_SIGNALS: ReadonlySet<string> = new Set(['SIGTERM', 'SIGINT', 'SIGHUP']);

/**
 * A run that died of a stop signal once this worker was itself told to stop was stopped with
 * the worker, not failed: Slurm's scancel, time limit and preemption send SIGTERM to every
 * process of the job at once (then SIGKILL after KillWait), trainer included, whatever the
 * worker's --grace. Such a run is an interruption, handed back without counting an attempt.
 * The worker sees its own signal first: the trainer's exit is noticed only after it.
 */
export function stoppedWithWorker(outcome: TrainerOutcome, stopRequested: boolean): TrainerOutcome {
  if (stopRequested && outcome.kind === 'signalled' && STOP_SIGNALS.has(outcome.signal)) return { kind: 'interrupted' };
  return outcome;
}
