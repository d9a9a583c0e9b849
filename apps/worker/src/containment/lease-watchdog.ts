import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { Logger } from 'pino';
import { monotonicMs } from './monotonic-ms.mjs';
import type { RunProcesses } from './reap-run.mjs';

const SCRIPT = fileURLToPath(new URL('./lease-watchdog.mjs', import.meta.url));

/**
 * The worker's side of lease-watchdog.mjs: a process of its own, one per GPU lease held, that
 * kills the running trainer when the lease's time runs out without a renewal it was told of.
 * {@link exited} settles if it ends (killed by someone): the GPU is then unguarded, and the
 * worker treats that like a lost lease.
 */
export class LeaseWatchdog {
  readonly exited: Promise<void>;
  readonly #child: ChildProcess;
  readonly #log: Logger;
  #closed = false;

  private constructor(child: ChildProcess, log: Logger) {
    this.#child = child;
    this.#log = log;
    this.exited = new Promise((resolve) => child.once('exit', () => resolve()));
    child.stdin?.on('error', () => undefined);
  }

  /** Starts the watchdog and waits until it listens; throws when it cannot start. */
  static async start(log: Logger, timeoutMs = 15_000): Promise<LeaseWatchdog> {
    const child = spawn(process.execPath, [SCRIPT], { detached: true, stdio: ['pipe', 'pipe', 'inherit'] });
    child.unref();
    const watchdog = new LeaseWatchdog(child, log);
    const lines = createInterface({ input: child.stdout ?? process.stdin });
    const ready = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`the lease watchdog (${SCRIPT}) did not start within ${timeoutMs} ms`)), timeoutMs);
      child.once('error', (error) => {
        clearTimeout(timer);
        reject(error);
      });
      child.once('exit', (code, signal) => {
        clearTimeout(timer);
        reject(new Error(`the lease watchdog (${SCRIPT}) exited at start (${signal ?? `code ${code}`})`));
      });
      lines.on('line', (line) => {
        const message = parse(line);
        if (message?.kind === 'ready') {
          clearTimeout(timer);
          resolve();
        } else if (message?.kind === 'reaped') {
          log.error({ pgid: message.pgid, pids: message.pids }, 'the lease watchdog killed the trainer: the GPU lease ran out without a renewal (this worker frozen or cut off from Redis); the GPU may go to another worker');
        }
      });
    });
    await ready;
    return watchdog;
  }

  /** The lease is this worker's until `deadline` (performance.now(), already short of the margin). */
  validUntil(deadline: number): void {
    this.#send({ kind: 'lease', untilMs: monotonicMs() + (deadline - performance.now()) });
  }

  runStarted(run: RunProcesses): void {
    this.#send({ kind: 'run', run });
  }

  runEnded(): void {
    this.#send({ kind: 'run-ended' });
  }

  /** Lets it go: it exits once no run is registered (now, after {@link runEnded}). */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#child.stdin?.end();
  }

  #send(message: object): void {
    if (this.#closed || this.#child.stdin === null || this.#child.stdin.destroyed) return;
    this.#child.stdin.write(`${JSON.stringify(message)}\n`, (error) => {
      if (error !== null && error !== undefined) this.#log.warn({ err: error }, 'could not reach the lease watchdog');
    });
  }
}

function parse(line: string): { kind?: string; pgid?: number; pids?: number[] } | undefined {
  try {
    return JSON.parse(line) as { kind?: string; pgid?: number; pids?: number[] };
  } catch {
    return undefined;
  }
}
