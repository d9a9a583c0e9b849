import type { Logger } from 'pino';
import { z } from 'zod';
import { CampaignNameSchema, TRIALS_QUEUE, TrialJobReturnSchema, describeZodError } from '@hyperevolve/contract';
import type { RedisClient } from '@hyperevolve/runtime';
import { logRecorded, type RecordedEvent } from './recorded-event.js';

export interface CompletionHooks {
  /** A run its worker recorded (a job with `workerRecords`), as the recorder reports the results it records. */
  onRecorded(event: RecordedEvent): void;
  /** A trial job completed without a run: its campaign's trial may have been recorded by a run that did not complete it. */
  onSkipped(campaign: string): void;
}

/** What of a return value this scheduler does not know may still name a campaign. */
const NamesCampaign = z.union([z.object({ recorded: z.object({ campaign: CampaignNameSchema }) }), z.object({ campaign: CampaignNameSchema })]);

/** How long one blocking read waits before it reads again (and notices a close). */
const BLOCK_MS = 5000;
/** Events one read takes at most. */
const BATCH = 1000;
/** After a failed read (Redis away), the wait before the next. */
const RETRY_MS = 1000;
/** The consumer group of every scheduler of one installation on the trials queue's events stream. */
export const COMPLETIONS_GROUP = 'hyperevolve-schedulers';

/**
 * Follows the trials queue's events stream, where BullMQ writes every job's `completed` event
 * with its return value: a worker records a succeeded or pruned run itself, in the step before
 * it completes the job, and the return value tells the scheduler what it recorded. The
 * schedulers read it as one consumer group, so each event reaches one replica (one log line,
 * one metrics count), and the group's place in the stream outlives a restart or a Redis outage:
 * what completed meanwhile is read then. One blocking read takes whatever happened meanwhile,
 * on a connection of its own. Entries are untrusted: one that is not JSON or not a known return
 * value is skipped with a warning, and the reading goes on from the next.
 */
export class Completions {
  readonly #options: { redis: RedisClient; prefix: string; consumer: string; log: Logger; hooks: CompletionHooks };
  readonly #key: string;
  #connection: RedisClient | null = null;
  #running: Promise<void> | null = null;
  #closed = false;

  constructor(options: { redis: RedisClient; prefix: string; consumer: string; log: Logger; hooks: CompletionHooks }) {
    this.#options = options;
    this.#key = `${options.prefix}:${TRIALS_QUEUE}:events`;
  }

  /** Joins the group (made at the stream's end when missing) and reads from where it is. */
  async start(): Promise<void> {
    if (this.#running !== null || this.#closed) return;
    const connection = this.#options.redis.duplicate();
    this.#connection = connection;
    connection.on('error', () => undefined);
    await this.#joinGroup(connection);
    this.#running = this.#loop(connection);
  }

  /** Stops reading and leaves the group (nothing is pending on it: events are read without acknowledgement). */
  async close(): Promise<void> {
    this.#closed = true;
    this.#connection?.disconnect();
    await this.#running;
    if (this.#running !== null) await this.#options.redis.xgroup('DELCONSUMER', this.#key, COMPLETIONS_GROUP, this.#options.consumer).catch(() => undefined);
  }

  async #joinGroup(connection: RedisClient): Promise<void> {
    try {
      await connection.xgroup('CREATE', this.#key, COMPLETIONS_GROUP, '$', 'MKSTREAM');
    } catch (error) {
      if (!(error instanceof Error && error.message.startsWith('BUSYGROUP'))) throw error;
    }
  }

  async #loop(connection: RedisClient): Promise<void> {
    while (!this.#closed) {
      let reply;
      try {
        // NOACK: an event is the scheduler's once read; a scheduler that dies with it unread leaves the run recorded in Redis, where the top-up and the exports find it.
        reply = await connection.xreadgroup('GROUP', COMPLETIONS_GROUP, this.#options.consumer, 'COUNT', BATCH, 'BLOCK', BLOCK_MS, 'NOACK', 'STREAMS', this.#key, '>');
      } catch (error) {
        if (this.#closed) return;
        this.#options.log.warn({ err: error }, `reading the trials queue's completed events failed; reading again in ${RETRY_MS} ms`);
        await new Promise((resolve) => setTimeout(resolve, RETRY_MS));
        // The stream or its group went away (Redis lost its data): make it again.
        await this.#joinGroup(connection).catch(() => undefined);
        continue;
      }
      const streams = reply as [key: string, entries: [id: string, fields: string[]][]][] | null;
      for (const [, fields] of streams?.[0]?.[1] ?? []) this.#entry(fields);
    }
  }

  #entry(fields: readonly string[]): void {
    let event: string | undefined;
    let jobId = '?';
    let text: string | undefined;
    for (let i = 0; i + 1 < fields.length; i += 2) {
      if (fields[i] === 'event') event = fields[i + 1];
      else if (fields[i] === 'jobId') jobId = fields[i + 1] ?? '?';
      else if (fields[i] === 'returnvalue') text = fields[i + 1];
    }
    if (event !== 'completed') return;
    let value: unknown;
    try {
      value = JSON.parse(text ?? '');
    } catch {
      value = text;
    }
    this.#completed(jobId, value);
  }

  #completed(jobId: string, returnvalue: unknown): void {
    const parsed = TrialJobReturnSchema.safeParse(returnvalue);
    if (!parsed.success) {
      // A newer worker's return value, or one written by hand: its campaign's files are written again, in case it recorded a run.
      const named = NamesCampaign.safeParse(returnvalue);
      if (named.success) this.#options.hooks.onSkipped('recorded' in named.data ? named.data.recorded.campaign : named.data.campaign);
      this.#options.log.warn({ jobId, problem: describeZodError(parsed.error) }, `trial job ${jobId} completed with a return value this scheduler does not know (a newer worker's? upgrade the scheduler to the workers' release); ignored`);
      return;
    }
    const done = parsed.data;
    if (!done.ran) {
      if (done.campaign !== undefined) this.#options.hooks.onSkipped(done.campaign);
      return;
    }
    const record = done.recorded;
    if (record === undefined) return;
    const event: RecordedEvent = { ...record, fitness: record.fitness ?? Number.NaN };
    logRecorded(this.#options.log.child({ campaign: record.campaign, index: record.index, runName: done.runName, by: record.workerId }), event);
    this.#options.hooks.onRecorded(event);
  }
}
