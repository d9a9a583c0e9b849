import type { StopVerdict, TrainerRun } from './trainer-outcome.js';

/**
 * The one way into a device's running trainer: a stall, a rung, the worker stopping or an exit
 * that cannot wait each give the run a {@link StopVerdict}. Once the worker is told to stop no new
 * run starts (a run about to start ends as interrupted at once); a running one may finish.
 */
export class RunControl {
  #stopping = false;
  #stopRequested = false;
  #current: TrainerRun | undefined;
  #idle: (() => void)[] = [];

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

  /** A trainer runs on the device now. */
  get running(): boolean {
    return this.#current !== undefined;
  }

  /** Whether a run may start: not once the worker was told to stop, even within its --grace (that is for runs already going). */
  get mayStart(): boolean {
    return !this.#stopping && !this.#stopRequested;
  }

  /** Resolves once no trainer runs on the device (now, if none does). */
  idle(): Promise<void> {
    if (this.#current === undefined) return Promise.resolve();
    return new Promise((resolve) => this.#idle.push(resolve));
  }

  /** `run` is the device's running trainer until the returned function is called. */
  attach(run: TrainerRun): () => void {
    this.#current = run;
    return () => {
      if (this.#current !== run) return;
      this.#current = undefined;
      for (const resolve of this.#idle.splice(0)) resolve();
    };
  }
}
