import { closeSync, openSync } from 'node:fs';
import { execa, type Result } from 'execa';
import type { Logger } from 'pino';
import type { TrainerOutcome } from './trainer-outcome.js';

export interface TrainerOptions {
  argv: readonly string[];
  /** The complete environment (nothing is inherited implicitly). */
  env: Record<string, string>;
  cwd: string;
  /** stdout and stderr go straight into this file (appended), so it fills as the trainer writes. */
  logPath: string;
  timeoutMs: number | null;
  /** Between SIGTERM and SIGKILL of the process group. */
  killAfterMs?: number;
  log: Logger;
}

type StopReason = { kind: 'timeout'; timeoutMs: number } | { kind: 'interrupt' };

/**
 * One trainer run in a process group of its own (`detached`), so that a timeout or a shutdown
 * kills the trainer and everything it started (DataLoader workers, shells, …): SIGTERM to the
 * group, SIGKILL after `killAfterMs`. When the trainer exits, whatever is left of its group is
 * killed too: nothing of a run outlives it.
 */
export class TrainerProcess {
  readonly done: Promise<TrainerOutcome>;
  readonly #pid: number | undefined;
  readonly #log: Logger;
  readonly #killAfterMs: number;
  #stop: StopReason | undefined;
  #exited = false;
  #timers: NodeJS.Timeout[] = [];

  private constructor(options: TrainerOptions) {
    this.#log = options.log;
    this.#killAfterMs = options.killAfterMs ?? 5000;
    const subprocess = spawnDetached(options);
    this.#pid = subprocess.pid;
    if (options.timeoutMs !== null && this.#pid !== undefined) {
      const timeoutMs = options.timeoutMs;
      this.#timers.push(setTimeout(() => this.#terminate({ kind: 'timeout', timeoutMs }), timeoutMs));
    }
    this.done = subprocess.then((result) => this.#finish(result));
  }

  static start(options: TrainerOptions): TrainerProcess {
    return new TrainerProcess(options);
  }

  get pid(): number | undefined {
    return this.#pid;
  }

  /** The worker is stopping: kill the run (TERM, then KILL) and report it as interrupted. */
  interrupt(): void {
    this.#terminate({ kind: 'interrupt' });
  }

  /** Synchronous SIGKILL of the whole group, for a process that exits right now. */
  killNow(): void {
    if (this.#exited) return;
    this.#stop ??= { kind: 'interrupt' };
    this.#signalGroup('SIGKILL');
  }

  #terminate(reason: StopReason): void {
    if (this.#exited || this.#stop !== undefined) return;
    this.#stop = reason;
    this.#log.warn({ pid: this.#pid, reason: reason.kind }, 'killing the trainer\'s process group');
    this.#signalGroup('SIGTERM');
    this.#timers.push(setTimeout(() => this.#signalGroup('SIGKILL'), this.#killAfterMs));
  }

  #finish(result: Result): TrainerOutcome {
    this.#exited = true;
    for (const timer of this.#timers) clearTimeout(timer);
    // Leftovers (children that ignored SIGTERM, orphaned workers of a crashed trainer) die now.
    this.#signalGroup('SIGKILL');
    if (this.#stop?.kind === 'timeout') return { kind: 'timed-out', timeoutMs: this.#stop.timeoutMs };
    if (this.#stop?.kind === 'interrupt') return { kind: 'interrupted' };
    if (result.exitCode !== undefined) return { kind: 'exited', exitCode: result.exitCode };
    if (result.signal !== undefined) return { kind: 'signalled', signal: result.signal };
    return { kind: 'spawn-error', code: result.code, message: result.originalMessage ?? result.shortMessage ?? 'unknown error' };
  }

  #signalGroup(signal: NodeJS.Signals): void {
    if (this.#pid === undefined) return;
    try {
      process.kill(-this.#pid, signal);
    } catch (error) {
      // ESRCH: the group is already gone.
      if (!(error instanceof Error && 'code' in error && error.code === 'ESRCH')) this.#log.warn({ err: error, pid: this.#pid }, `could not send ${signal} to the trainer's process group`);
    }
  }
}

function spawnDetached(options: TrainerOptions) {
  const [program = '', ...args] = options.argv;
  // The child writes to the file itself: no pipe through this process, nothing buffered,
  // and the log stays complete if this worker dies mid-run. execa's types spell descriptors
  // as literals (3 | 4 | …); a plain (non-array) number goes to child_process.spawn untouched.
  const fd = openSync(options.logPath, 'a') as 3;
  try {
    return execa(program, args, {
      cwd: options.cwd,
      env: options.env,
      extendEnv: false,
      detached: true,
      cleanup: false,
      reject: false,
      stdin: 'ignore',
      stdout: fd,
      stderr: fd,
      windowsHide: true,
    });
  } finally {
    closeSync(fd);
  }
}
