import type { Logger } from 'pino';
import { TRIALS_QUEUE, type WorkerIdentity } from '@hyperevolve/contract';
import { RepairingQueueWorker, type RedisClient } from '@hyperevolve/runtime';
import type { Heartbeat } from './heartbeat.js';
import type { StrayWatch } from './stray-watch.js';
import type { TrialProcessor } from './trial-processor.js';

export interface DeviceWorkerOptions {
  connection: RedisClient;
  prefix: string;
  identity: WorkerIdentity;
  processor: TrialProcessor;
  heartbeat: Heartbeat;
  /** Looks for processes left on the device while this worker runs. */
  strays?: StrayWatch;
  lockMs: number;
  stalledMs: number;
  log: Logger;
}

/**
 * One device: a BullMQ Worker with concurrency 1 on the trials queue, its processor and its
 * heartbeat. BullMQ reconnects by itself after Redis restarts (the connection retries
 * forever); this class only logs what it reports.
 */
export class DeviceWorker {
  readonly #options: DeviceWorkerOptions;
  readonly #worker: RepairingQueueWorker;
  #lastError = '';

  constructor(options: DeviceWorkerOptions) {
    this.#options = options;
    const { processor, log } = options;
    this.#worker = new RepairingQueueWorker(TRIALS_QUEUE, (job, token) => processor.process(job, token), {
      connection: options.connection,
      prefix: options.prefix,
      name: options.identity.id,
      concurrency: 1,
      autorun: false,
      lockDuration: options.lockMs,
      stalledInterval: options.stalledMs,
      // A stall means a worker died, not that the trial is bad: re-run it however often that happens.
      maxStalledCount: 1000,
    });
    this.#worker.on('error', (error: Error) => {
      // BullMQ repeats the same error while Redis is away; say it once.
      if (error.message !== this.#lastError) log.warn({ err: error }, 'queue worker problem; BullMQ keeps retrying');
      this.#lastError = error.message;
    });
    this.#worker.on('active', () => {
      this.#lastError = '';
    });
  }

  start(): void {
    this.#options.heartbeat.start();
    this.#options.strays?.start();
    this.#worker.run().catch((error: unknown) => this.#options.log.error({ err: error }, 'queue worker stopped unexpectedly'));
    this.#options.log.info({ id: this.#options.identity.id }, 'waiting for trials');
  }

  /**
   * Takes no new job; lets a running trial finish within `graceMs`, then kills it and hands
   * its job back; leaves the registry.
   */
  async stop(graceMs: number): Promise<void> {
    const { processor, heartbeat, log } = this.#options;
    const closed = this.#worker.close();
    if (processor.busy) {
      log.info({ graceMs }, graceMs > 0
        ? `stopping: the running trial may finish within ${formatGrace(graceMs)} (--grace); past that it is killed and handed back to the queue`
        : 'stopping: killing the running trial and handing it back to the queue (no --grace given)');
      let timer: NodeJS.Timeout | undefined;
      const graceOver = new Promise<'grace-over'>((resolve) => {
        timer = setTimeout(() => resolve('grace-over'), graceMs);
      });
      const first = await Promise.race([closed.then(() => 'closed' as const), graceOver]);
      clearTimeout(timer);
      if (first === 'grace-over') processor.interrupt();
    } else {
      processor.interrupt();
    }
    await closed;
    this.#options.strays?.stop();
    await heartbeat.stop();
  }

  /** Told to stop, before the grace: see TrialProcessor.stopRequested. */
  stopRequested(): void {
    this.#options.processor.stopRequested();
  }

  killNow(): void {
    this.#options.processor.killNow();
  }

  /** Leaves the worker registry without waiting for anything else (an exit that cannot wait), within `waitMs`. */
  async forget(waitMs: number): Promise<void> {
    await this.#options.heartbeat.stop(waitMs);
  }
}

/** `90s`, `15m`, `1h30m`: the grace as the user would have typed it. */
function formatGrace(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s < 60) return ms < 1000 ? `${ms}ms` : `${s}s`;
  const m = Math.floor(s / 60);
  const rest = s % 60;
  if (m < 60) return rest === 0 ? `${m}m` : `${m}m${rest}s`;
  return `${Math.floor(m / 60)}h${m % 60 === 0 ? '' : `${m % 60}m`}`;
}
