import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { TRIALS_QUEUE, type WorkerIdentity } from '@hyperevolve/contract';
import { RepairingQueueWorker } from '@hyperevolve/runtime';
import type { Heartbeat } from './heartbeat.js';
import type { TrialProcessor } from './trial-processor.js';

export interface DeviceWorkerOptions {
  connection: Redis;
  prefix: string;
  identity: WorkerIdentity;
  processor: TrialProcessor;
  heartbeat: Heartbeat;
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
      log.info({ graceMs }, 'stopping: the running trial may finish within the grace period');
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
    await heartbeat.stop();
  }

  killNow(): void {
    this.#options.processor.killNow();
  }
}
