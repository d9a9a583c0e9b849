import type { StopVerdict, TrainerRun } from './trainer-outcome.js';

/**
 * The one way into a device's running trainer: a stall, a rung, the worker stopping or an exit
 * that cannot wait each give the run a {@link StopVerdict}. Once the worker is stopping no new
 * run starts (a run about to start ends as interrupted at once).
 */
export class RunControl {
  #stopping = false;
  #stopRequested = false;
  #current: TrainerRun | undefined;

  get stopping(): boolean {
    return this.#stopping;
  }

  /** The worker was told to stop (its --grace may still be running). */
  get stopRequested(): boolean {
    return this.#stopRequested;
  }

  noteStopRequested(): void {
    this.#stopRequested = true;
  }

  /** The worker stops: the running trainer is killed (TERM, then KILL) and its job handed back; no new one starts. */
  interrupt(): void {
    this.#stopping = true;
    this.#current?.stop({ kind: 'interrupted' });
  }

  /** Synchronous SIGKILL of the running trainer's group, for an exit that cannot wait. */
  killNow(): void {
    this.#stopping = true;
    this.#current?.stop({ kind: 'interrupted' }, 'now');
  }

  /** Stops the running trainer (if any) with this verdict. */
  stop(verdict: StopVerdict): void {
    this.#current?.stop(verdict);
  }

  /** `run` is the device's running trainer until the returned function is called. */
  attach(run: TrainerRun): () => void {
    this.#current = run;
    return () => {
      if (this.#current === run) this.#current = undefined;
    };
  }
}
