import type { Job, Worker } from 'bullmq';
import type { Logger } from 'pino';
import { RESULTS_QUEUE, TrialResultSchema, describeZodError, type TrialResult } from '@hyperevolve/contract';
import { trainerProfile } from '@hyperevolve/ga-core';
import { RepairingQueueWorker, type RedisClient } from '@hyperevolve/runtime';
import type { CampaignStore } from '../campaign/campaign-store.js';
import { recordOfResult, type RecordInput, type RecordOutcome, type RecordReply } from '@hyperevolve/trial-store';
import { logRecorded, type RecordedEvent } from './recorded-event.js';

export interface RecorderHooks {
  onRecorded(event: RecordedEvent): void;
}

/**
 * Consumes the results queue and records each result with one atomic script. Delivery is
 * at least once (BullMQ re-runs a recording whose scheduler died); the script makes the
 * recording itself at most once, so together: exactly once.
 */
export class Recorder {
  readonly #worker: Worker;
  readonly #store: CampaignStore;
  readonly #log: Logger;
  readonly #hooks: RecorderHooks;
  /** Results being recorded now, as `campaign/index (run …)`. */
  readonly #recording = new Set<string>();

  constructor(options: { redis: RedisClient; store: CampaignStore; log: Logger; hooks: RecorderHooks; concurrency?: number; lockMs: number; stalledMs: number }) {
    this.#store = options.store;
    this.#log = options.log;
    this.#hooks = options.hooks;
    this.#worker = new RepairingQueueWorker(RESULTS_QUEUE, (job) => this.#process(job), {
      connection: options.redis,
      prefix: options.store.prefix,
      concurrency: options.concurrency ?? 8,
      maxStalledCount: 1000,
      lockDuration: options.lockMs,
      stalledInterval: options.stalledMs,
      autorun: false,
    });
    this.#worker.on('error', (error) => this.#log.warn({ err: error }, 'results consumer problem; retrying'));
    this.#worker.on('failed', (job, error) => this.#log.warn({ err: error, jobId: job?.id }, 'recording a result failed; BullMQ retries it'));
  }

  start(): void {
    void this.#worker.run().catch((error: unknown) => this.#log.error({ err: error }, 'results consumer stopped'));
  }

  async close(): Promise<void> {
    await this.#worker.close();
  }

  /** Results being recorded now: what a stop without Redis leaves to the next scheduler. */
  inProgress(): string[] {
    return [...this.#recording];
  }

  async #process(job: Job): Promise<void> {
    const data = job.data as { campaign?: unknown; index?: unknown; runName?: unknown } | undefined;
    const what = `the result of trial ${String(data?.campaign)}/${String(data?.index)} (run ${String(data?.runName)})`;
    this.#recording.add(what);
    try {
      await this.#record(job);
    } finally {
      this.#recording.delete(what);
    }
  }

  async #record(job: Job): Promise<void> {
    const parsed = TrialResultSchema.safeParse(job.data);
    if (!parsed.success) {
      const problem = describeZodError(parsed.error);
      this.#log.error({ jobId: job.id, problem }, `dropped a malformed result from the results queue (job ${job.id ?? '?'}: ${problem.slice(0, 300)}); it was written by an incompatible worker or by hand`);
      return;
    }
    const result = parsed.data;
    const log = this.#log.child({ campaign: result.campaign, index: result.index, runName: result.runName });
    const config = await this.#store.readConfig(result.campaign);
    if (config === null) {
      log.warn('result for a campaign that is not in Redis dropped (did Redis lose it? scheduler status tells)');
      return;
    }
    const input = recordOfResult(result, config.fitnessWeights, trainerProfile(config.adapter).fitnessMetrics, config.maxConsecutiveFailures);
    const { outcome, failure, fitness: value } = input;
    const recorded = await this.#store.trials.record(result.campaign, result.index, input);
    const reply = await this.#noteFailure(result, outcome, failure, recorded, log);
    const event = { campaign: result.campaign, index: result.index, outcome, fitness: value, reply, workerId: result.worker.id, startedAt: result.startedAt, finishedAt: result.finishedAt, pruned: result.pruned ?? null };
    logRecorded(log, event);
    this.#hooks.onRecorded(event);
  }

  /**
   * A recorded failure's signature goes on the campaign (TrialStore.noteFailure): trials failing
   * the same way in a row pause it. The reply carries the campaign's status after that.
   */
  async #noteFailure(result: TrialResult, outcome: RecordOutcome, failure: RecordInput['failure'], reply: RecordReply, log: Logger): Promise<RecordReply> {
    if (failure === null || (outcome !== 'failed' && outcome !== 'attempt-failed')) return reply;
    if (reply.code !== 'recorded' && reply.code !== 'attempt-noted') return reply;
    const noted = await this.#store.trials.noteFailure({
      campaign: result.campaign,
      signature: failure.signature ?? null,
      final: outcome === 'failed',
      kind: failure.kind,
      message: failure.message,
    });
    if (noted.campaignStatus === 'paused' && reply.campaignStatus !== 'paused') log.warn({ same: noted.same }, `campaign paused: ${noted.same} trials in a row failed the same way`);
    return noted.campaignStatus === '' ? reply : { ...reply, campaignStatus: noted.campaignStatus };
  }
}
