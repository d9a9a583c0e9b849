import { QueueEvents } from 'bullmq';
import type { Logger } from 'pino';
import { TRIALS_QUEUE, TrialJobReturnSchema, describeZodError } from '@hyperevolve/contract';
import type { RedisClient } from '@hyperevolve/runtime';
import { logRecorded, type RecordedEvent } from './recorded-event.js';

export interface CompletionHooks {
  /** A run its worker recorded (a job with `workerRecords`), as the recorder reports the results it records. */
  onRecorded(event: RecordedEvent): void;
  /** A trial job completed without a run: its campaign's trial may have been recorded by a run that did not complete it. */
  onSkipped(campaign: string): void;
}

/** How long a stopped events reader waits before it reads again. */
const RESTART_MS = 1000;

/**
 * Follows the trials queue's completed events (one blocking XREAD for whatever completed
 * meanwhile): a worker records a succeeded or pruned run itself, in the step before it
 * completes the job, and the job's return value tells the scheduler what it recorded. An event
 * missed while the scheduler was down costs nothing: the top-up's tick and the exporter's
 * catch-up read Redis, where the run is recorded.
 */
export class Completions {
  readonly #options: { redis: RedisClient; prefix: string; log: Logger; hooks: CompletionHooks };
  #events: QueueEvents | null = null;
  #closed = false;
  #restart: NodeJS.Timeout | undefined;

  constructor(options: { redis: RedisClient; prefix: string; log: Logger; hooks: CompletionHooks }) {
    this.#options = options;
  }

  start(): void {
    if (this.#closed) return;
    const events = new QueueEvents(TRIALS_QUEUE, { connection: this.#options.redis, prefix: this.#options.prefix, autorun: false });
    this.#events = events;
    events.on('error', (error) => this.#options.log.warn({ err: error }, 'trials queue events: problem; retrying'));
    events.on('completed', ({ jobId, returnvalue }) => this.#completed(jobId, returnvalue));
    events.run().catch((error: unknown) => {
      // An event BullMQ could not parse (written by hand) ends its reader: read again from now on.
      this.#options.log.warn({ err: error }, `trials queue events reader stopped; reading again in ${RESTART_MS} ms`);
      void events.close().catch(() => undefined);
      if (!this.#closed) this.#restart = setTimeout(() => this.start(), RESTART_MS);
    });
  }

  async close(): Promise<void> {
    this.#closed = true;
    clearTimeout(this.#restart);
    await this.#events?.close();
  }

  #completed(jobId: string, returnvalue: unknown): void {
    const parsed = TrialJobReturnSchema.safeParse(returnvalue);
    if (!parsed.success) {
      this.#options.log.warn({ jobId, problem: describeZodError(parsed.error) }, `trial job ${jobId} completed with a return value this scheduler does not know; ignored`);
      return;
    }
    const done = parsed.data;
    if (!done.ran) {
      if (done.campaign !== undefined) this.#options.hooks.onSkipped(done.campaign);
      return;
    }
    const record = done.recorded;
    if (record === undefined) return;
    const event: RecordedEvent = {
      campaign: record.campaign,
      index: record.index,
      outcome: record.outcome,
      fitness: record.fitness ?? Number.NaN,
      reply: record.reply,
      run: { workerId: record.workerId, startedAt: record.startedAt, finishedAt: record.finishedAt },
      pruned: record.pruned,
    };
    logRecorded(this.#options.log.child({ campaign: record.campaign, index: record.index, runName: done.runName, by: record.workerId }), event);
    this.#options.hooks.onRecorded(event);
  }
}
