import type { Logger } from 'pino';
import type { Stray } from '@hyperevolve/contract';
import type { GpuProcess } from './gpu/query-gpu-processes.js';
import type { Heartbeat } from './heartbeat.js';

/** Failed nvidia-smi queries in a row after which {@link StrayWatch.clearToStart} starts the trial unchecked. */
const UNANSWERED_TRIES = 3;

export interface StrayWatchOptions {
  heartbeat: Heartbeat;
  /** The GPU this device-worker runs on; undefined for the CPU. */
  gpuUuid: string | undefined;
  /** The processes on the GPUs (nvidia-smi), or undefined when that cannot be known. */
  queryGpuProcesses: () => Promise<GpuProcess[] | undefined>;
  intervalMs: number;
  /** How often {@link StrayWatch.clearToStart} asks nvidia-smi again while the GPU is not free (default 1000). */
  clearPollMs?: number;
  log: Logger;
}

/**
 * Finds processes left on this worker's device and puts them in its heartbeat, where
 * `scheduler status` warns about them: processes of an ended run that survived SIGKILL, and,
 * on a GPU, any process nvidia-smi shows there while this worker runs no trial (a leftover
 * the worker could not see, or someone else's job). Only while idle: nvidia-smi in a container
 * reports the host's pids, which cannot be matched with the trainer's.
 */
export class StrayWatch {
  readonly #options: StrayWatchOptions;
  #leftovers = new Set<number>();
  #timer: NodeJS.Timeout | undefined;
  #reported = '';
  /** A run is on the device: GPU processes are judged only while none is. */
  #running = false;
  #escapedFrom: number | undefined;

  constructor(options: StrayWatchOptions) {
    this.#options = options;
  }

  start(): void {
    this.#timer = setInterval(() => void this.check(), this.#options.intervalMs);
    void this.check();
  }

  stop(): void {
    clearInterval(this.#timer);
  }

  runStarted(): void {
    this.#running = true;
  }

  /**
   * A run ended; these of its processes are still alive. `escapedFrom`: the trainer pid of a run
   * that may have left a process the worker cannot see (reported until a run ends without).
   */
  runEnded(leftovers: readonly number[], escapedFrom?: number): void {
    this.#running = false;
    this.#escapedFrom = escapedFrom;
    for (const pid of leftovers) this.#leftovers.add(pid);
    void this.check();
  }

  /**
   * Before a run on a GPU: waits until nvidia-smi lists no process on it, or `stopped()`. This
   * worker runs nothing there at that moment, so any process is foreign: one a run left
   * behind outside the worker's sight (setsid and a cleared environment, without cgroups), the
   * trainer of a worker whose lease lapsed while it was frozen, someone else's job. Two trainers
   * must never share a GPU, whether or not the other's watchdog acted on time. An nvidia-smi that
   * cannot answer (a timeout on a loaded machine) is asked again: only after
   * {@link UNANSWERED_TRIES} failures in a row does the trial start without the check, saying so.
   */
  async clearToStart(stopped: () => boolean): Promise<void> {
    const { gpuUuid, queryGpuProcesses, log } = this.#options;
    if (gpuUuid === undefined) return;
    let said = '';
    let unanswered = 0;
    while (!stopped()) {
      const processes = await queryGpuProcesses().catch(() => undefined);
      if (processes === undefined && ++unanswered < UNANSWERED_TRIES) {
        await new Promise((resolve) => setTimeout(resolve, this.#options.clearPollMs ?? 1000));
        continue;
      }
      if (processes === undefined) {
        log.warn({ gpuUuid }, `nvidia-smi --query-compute-apps did not answer ${UNANSWERED_TRIES} times in a row; starting the trial without knowing whether another process is on this GPU (check the driver: nvidia-smi)`);
        return;
      }
      unanswered = 0;
      const foreign = processes.filter((p) => p.gpuUuid === gpuUuid).map((p) => p.pid);
      if (foreign.length === 0) {
        if (said !== '') log.info({ gpuUuid }, 'the GPU is free of other processes now; starting the trial');
        return;
      }
      if (foreign.join() !== said) {
        log.warn({ pids: foreign, gpuUuid }, `not starting the trial: processes ${foreign.join(', ')} are on this GPU (nvidia-smi) and none is this worker's ` +
          '(left behind by an earlier run, a frozen worker\'s trainer, or someone else\'s job); waiting until they are gone: stop them (kill <pid>)');
        said = foreign.join();
      }
      await this.check();
      await new Promise((resolve) => setTimeout(resolve, this.#options.clearPollMs ?? 1000));
    }
  }

  async check(): Promise<void> {
    const { gpuUuid, queryGpuProcesses, heartbeat, log } = this.#options;
    for (const pid of this.#leftovers) if (!alive(pid)) this.#leftovers.delete(pid);
    const strays: Stray[] = [...this.#leftovers].map((pid) => ({ pid, memoryMiB: null, origin: 'run-leftover' }));
    if (this.#escapedFrom !== undefined) strays.push({ pid: this.#escapedFrom, memoryMiB: null, origin: 'escaped' });
    if (gpuUuid !== undefined && !this.#running) {
      const processes = await queryGpuProcesses().catch(() => undefined);
      // A trial may have started while nvidia-smi answered.
      if (processes !== undefined && !this.#running) {
        for (const p of processes) {
          if (p.gpuUuid === gpuUuid && !this.#leftovers.has(p.pid)) strays.push({ pid: p.pid, memoryMiB: p.memoryMiB, origin: 'gpu-process' });
        }
      }
    }
    const text = JSON.stringify(strays);
    if (text !== this.#reported && strays.length > 0) log.warn({ strays }, 'processes left on this device (scheduler status shows them); kill them, or the trials here may run short of memory');
    this.#reported = text;
    heartbeat.setStrays(strays);
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
