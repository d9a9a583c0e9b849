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
   * Takes no new job; lets a running trial finish (for at most `graceMs`; null: however long it
   * takes), then kills it and hands its job back; leaves the registry. The heartbeat (and the
   * job's lock, which BullMQ renews) go on until the trial has ended.
   */
  async stop(graceMs: number | null): Promise<void> {
    const { processor, heartbeat, log } = this.#options;
    const closed = this.#worker.close();
    const trial = heartbeat.currentTrial;
    const what = trial === undefined ? 'the running trial' : `trial ${trial}`;
    if (processor.trainerRunning && graceMs !== 0) {
      log.info({ trial, graceMs: graceMs ?? 'unlimited' }, finishingMessage(what, graceMs));
      let timer: NodeJS.Timeout | undefined;
      const graceOver = new Promise<'grace-over'>((resolve) => {
        if (graceMs !== null) timer = setTimeout(() => resolve('grace-over'), graceMs);
      });
      const first = await Promise.race([closed.then(() => 'closed' as const), graceOver]);
      clearTimeout(timer);
      if (first === 'grace-over') {
        log.warn({ trial, graceMs }, `the --grace of ${formatGrace(graceMs ?? 0)} is over: killing ${what} and handing it back to the queue`);
        processor.interrupt();
      }
    } else {
      // A trial prepared but not started yet is not started: it goes back to the queue too.
      if (processor.trainerRunning) log.info({ trial }, `stopping now: killing ${what} and handing it back to the queue`);
      else if (trial !== undefined) log.info({ trial }, `stopping: not starting ${what}; handing it back to the queue`);
      processor.interrupt();
    }
    await closed;
    this.#options.strays?.stop();
    await heartbeat.stop();
  }

  /** Resolves once no trainer runs on this device; after a stop no new one starts. */
  trainerEnded(): Promise<void> {
    return this.#options.processor.trainerEnded();
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

/** What the first signal does to a busy device, and how to stop at once instead. */
function finishingMessage(what: string, graceMs: number | null): string {
  const limit = graceMs === null
    ? 'however long it takes (no --grace)'
    : `for at most ${formatGrace(graceMs)} (--grace); past that it is killed and handed back to the queue`;
  return `stopping: finishing ${what} first, ${limit}. To stop at once, press Ctrl-C again or send SIGTERM again: ` +
    'the trial is then killed and handed back to the queue, not counted as an attempt';
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
