import { randomBytes } from 'node:crypto';
import { finished } from 'node:stream';
import { execa, type Result } from 'execa';
import type { Logger } from 'pino';
import { CappedLog, openRunLog } from './capped-log.js';
import { reapRun, RUN_TOKEN_VARIABLE, runProcesses, type RunProcesses } from './containment/reap-run.mjs';
import type { RunCgroups } from './containment/run-cgroups.js';
import type { StopVerdict, TrainerOutcome, TrainerRun } from './trainer-outcome.js';

export interface TrainerOptions {
  argv: readonly string[];
  /** The complete environment (nothing is inherited implicitly). */
  env: Record<string, string>;
  cwd: string;
  /** stdout and stderr go into this file as the trainer writes them, within `logCapBytes`. */
  logPath: string;
  /** train.log keeps its first and last halves of this many bytes; 0: everything. */
  logCapBytes?: number;
  timeoutMs: number | null;
  /** Between SIGTERM and SIGKILL of the process group. */
  killAfterMs?: number;
  /** Where the machine allows it, each run gets a cgroup of its own. */
  cgroups?: RunCgroups | undefined;
  log: Logger;
}

/** How long the log may take to close after the run's processes are gone. */
const LOG_CLOSE_MS = 5000;
/** How long killed processes of a run may take to be gone before they count as left over. */
const LEFTOVER_WAIT_MS = 3000;
export const DEFAULT_LOG_CAP_BYTES = 64 * 2 ** 20;

/**
 * One trainer run in a process group of its own (`detached`), so that a timeout or a shutdown
 * kills the trainer and everything it started (DataLoader workers, shells, …): SIGTERM to the
 * group, SIGKILL after `killAfterMs`. When the trainer exits, every process left of the run
 * is killed: its group, its cgroup where there is one, and whatever carries the run's token
 * in its environment or descends from those (a grandchild that called setsid), so nothing of
 * a run outlives it.
 */
export class TrainerProcess implements TrainerRun {
  readonly done: Promise<TrainerOutcome>;
  readonly #pid: number | undefined;
  readonly #run: RunProcesses | undefined;
  readonly #log: Logger;
  readonly #killAfterMs: number;
  readonly #cgroups: RunCgroups | undefined;
  #stop: StopVerdict | undefined;
  #exited = false;
  #timers: NodeJS.Timeout[] = [];
  #leftovers: number[] = [];
  #escaped = false;

  private constructor(options: TrainerOptions) {
    this.#log = options.log;
    this.#killAfterMs = options.killAfterMs ?? 5000;
    const token = randomBytes(12).toString('hex');
    this.#cgroups = options.cgroups;
    // The log exists before the trainer starts, for whoever follows it, and is written through
    // this descriptor only: a trainer that swaps the path for a link or a FIFO changes nothing.
    const logFd = openRunLog(options.logPath);
    const cgroup = options.cgroups?.create(token);
    const spawn = () => spawnDetached(options, token);
    const subprocess = cgroup === undefined || options.cgroups === undefined ? spawn() : options.cgroups.spawnInside(cgroup, spawn);
    this.#pid = subprocess.pid;
    this.#run = this.#pid === undefined
      ? undefined
      : { pgid: this.#pid, token, cgroup: cgroup !== undefined && options.cgroups?.usable() === true ? cgroup : null };
    const log = new CappedLog(logFd, options.logCapBytes ?? DEFAULT_LOG_CAP_BYTES);
    log.on('write-error', (error: unknown) => this.#log.warn({ err: error, logPath: options.logPath }, 'could not write the trainer\'s log; its further output is dropped'));
    let ended = false;
    const endLog = (): void => {
      if (ended) return;
      ended = true;
      log.end();
    };
    const streams = [subprocess.stdout, subprocess.stderr];
    let open = streams.length;
    for (const stream of streams) {
      finished(stream, () => {
        open -= 1;
        if (open === 0) endLog();
      });
      stream.pipe(log, { end: false });
    }
    const logClosed = new Promise<void>((resolve) => {
      log.once('finish', resolve);
      log.once('error', (error) => {
        this.#log.warn({ err: error, logPath: options.logPath }, 'could not finish the trainer\'s log');
        resolve();
      });
    });
    // On the trainer's exit, not when its output closes: a process it left behind may hold the
    // output open; it dies here and the output closes with it (or, if it survives, is cut off).
    subprocess.nodeChildProcess.once('exit', () => {
      this.#ended();
      const cutOff = setTimeout(() => {
        this.#escaped = true;
        this.#log.warn({ pid: this.#pid, cgroup: this.#run?.cgroup ?? null },
          `the trainer's output was still held open ${LOG_CLOSE_MS} ms after it exited and every process of its run the worker can see was killed: ` +
            'the run may have left a process behind that escaped its process group and cleared its environment (setsid env -i …), which only a cgroup per run catches ' +
            '(HYPEREVOLVE_TRAINER_CGROUPS); scheduler status shows the warning; look for it with ps -eo pid,sid,etime,args and kill it');
        for (const stream of streams) stream.destroy();
      }, LOG_CLOSE_MS);
      void logClosed.then(() => clearTimeout(cutOff));
    });
    if (options.timeoutMs !== null && this.#pid !== undefined) {
      const timeoutMs = options.timeoutMs;
      this.#timers.push(setTimeout(() => this.#terminate({ kind: 'timed-out', timeoutMs }), timeoutMs));
    }
    this.done = subprocess.then(async (result) => {
      await this.#settle(logClosed, endLog);
      return this.#finish(result);
    });
  }

  static start(options: TrainerOptions): TrainerProcess {
    return new TrainerProcess(options);
  }

  get pid(): number | undefined {
    return this.#pid;
  }

  /** The run's processes as the lease watchdog and the orphan sweep name them. */
  get run(): RunProcesses | undefined {
    return this.#run;
  }

  /** Processes of the run still alive after it ended (SIGKILL had no effect on them). */
  get leftovers(): readonly number[] {
    return this.#leftovers;
  }

  /** Its output outlived every process of the run the worker could see (see {@link TrainerRun.escaped}). */
  get escaped(): boolean {
    return this.#escaped;
  }

  stop(verdict: StopVerdict, how: 'graceful' | 'now' = 'graceful'): void {
    if (how === 'graceful') {
      this.#terminate(verdict);
      return;
    }
    this.#stop ??= verdict;
    this.#reap();
  }

  #terminate(reason: StopVerdict): void {
    if (this.#exited || this.#stop !== undefined) return;
    this.#stop = reason;
    const level = reason.kind === 'pruned' ? 'info' : 'warn';
    this.#log[level]({ pid: this.#pid, reason: reason.kind }, 'killing the trainer\'s process group');
    this.#signalGroup('SIGTERM');
    this.#timers.push(setTimeout(() => this.#reap(), this.#killAfterMs));
  }

  /** The trainer is gone: no stop timer may fire, and whatever it left of its run is killed now. */
  #ended(): void {
    this.#exited = true;
    for (const timer of this.#timers) clearTimeout(timer);
    this.#reap();
  }

  /** SIGKILL to everything of the run: leftovers (children that ignored SIGTERM, a daemon it started) die now. */
  #reap(): void {
    if (this.#run === undefined) return;
    const killed = reapRun(this.#run).filter((pid) => pid !== this.#pid);
    if (killed.length > 0 && this.#exited) this.#log.warn({ pids: killed }, 'killed processes the trainer left running');
  }

  /** After the exit: everything of the run is killed, the log closed, the run's cgroup removed once empty. */
  async #settle(logClosed: Promise<void>, endLog: () => void): Promise<void> {
    // As on 'exit' (again, when there was one): a spawn that failed may have no 'exit' event.
    this.#ended();
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<'late'>((resolve) => {
      timer = setTimeout(() => resolve('late'), LOG_CLOSE_MS);
    });
    // A spawn that failed may never end its streams.
    if ((await Promise.race([logClosed, late])) === 'late') endLog();
    clearTimeout(timer);
    await logClosed;
    if (this.#run === undefined) return;
    // SIGKILLed processes take a moment to be gone.
    const deadline = performance.now() + LEFTOVER_WAIT_MS;
    for (this.#leftovers = runProcesses(this.#run); this.#leftovers.length > 0 && performance.now() < deadline; this.#leftovers = runProcesses(this.#run)) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      reapRun(this.#run);
    }
    if (this.#leftovers.length > 0) {
      this.#log.error({ pids: this.#leftovers }, 'processes of the ended run survive SIGKILL (stuck in the kernel?); the worker reports them in its heartbeat');
    } else if (this.#run.cgroup !== null) {
      this.#cgroups?.remove(this.#run.cgroup);
    }
  }

  #finish(result: Result): TrainerOutcome {
    if (this.#stop !== undefined) return this.#stop;
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

function spawnDetached(options: TrainerOptions, token: string) {
  const [program = '', ...args] = options.argv;
  return execa(program, args, {
    cwd: options.cwd,
    // The token marks every process of the run, wherever it goes (setsid, a new parent).
    env: { ...options.env, [RUN_TOKEN_VARIABLE]: token },
    extendEnv: false,
    detached: true,
    cleanup: false,
    reject: false,
    buffer: false,
    stdin: 'ignore',
    stdout: 'pipe',
    stderr: 'pipe',
    windowsHide: true,
  });
}
