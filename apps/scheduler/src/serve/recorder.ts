import type { Job, Worker } from 'bullmq';
import type { Logger } from 'pino';
import { RESULTS_QUEUE, TrialResultSchema, describeZodError, metricsFromWire, type TrialResult } from '@hyperevolve/contract';
import { fitness, trainerProfile } from '@hyperevolve/ga-core';
import { RepairingQueueWorker, type RedisClient } from '@hyperevolve/runtime';
import type { CampaignStore } from '../campaign/campaign-store.js';
import { recordResult, type RecordOutcome, type RecordReply } from '../redis/scripts.js';

export interface RecordedEvent {
  campaign: string;
  index: number;
  result: TrialResult;
  outcome: RecordOutcome;
  fitness: number;
  reply: RecordReply;
}

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
  readonly #redis: RedisClient;
  readonly #log: Logger;
  readonly #hooks: RecorderHooks;

  constructor(options: { redis: RedisClient; store: CampaignStore; log: Logger; hooks: RecorderHooks; concurrency?: number; lockMs: number; stalledMs: number }) {
    this.#redis = options.redis;
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

  async #process(job: Job): Promise<void> {
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
      log.warn('result for an unknown campaign dropped');
      return;
    }
    let outcome: RecordOutcome = result.outcome === 'succeeded' ? 'succeeded' : result.final ? 'failed' : 'attempt-failed';
    let failure = result.failure;
    let value = Number.NaN;
    if (outcome === 'succeeded') {
      const over = trainerProfile(config.adapter).fitnessMetrics;
      value = result.fitness ?? (result.metrics === null ? Number.NaN : fitness(metricsFromWire(result.metrics), config.fitnessWeights, over));
      if (!Number.isFinite(value)) {
        outcome = 'failed';
        failure = { kind: 'metrics-nan', message: 'the weighted metrics are NaN or missing, so the trial has no fitness' };
      }
    }
    const fields: Record<string, string | number> = {
      runName: result.runName,
      attempt: result.attempt,
      worker: result.worker.id,
      host: result.worker.host,
      device: result.worker.device,
      runStartedAt: result.startedAt,
      runEndedAt: result.finishedAt,
      durationMs: result.finishedAt - result.startedAt,
      trialDir: result.trialDir,
      logPath: result.logPath,
      command: JSON.stringify(result.command),
    };
    if (result.worker.gpuUuid !== undefined) fields.gpuUuid = result.worker.gpuUuid;
    if (result.metrics !== null) fields.metrics = JSON.stringify(result.metrics);
    if (failure !== null) {
      fields.error = `${failure.kind}: ${failure.message}`;
      fields.errorKind = failure.kind;
    }
    const keys = this.#store.keys(result.campaign);
    const reply = await recordResult(this.#redis, keys, result.index, outcome, value, config.maxConsecutiveFailures, fields);
    if (reply.code === 'unknown-trial') log.warn('result for a trial that was never issued dropped');
    if (reply.code === 'surplus') log.warn('result beyond the budget kept aside (status surplus)');
    if (reply.code === 'recorded') {
      log.info({ outcome, fitness: Number.isFinite(value) ? value : undefined, recorded: reply.recorded, best: reply.bestChanged || undefined }, `trial ${outcome}`);
    }
    this.#hooks.onRecorded({ campaign: result.campaign, index: result.index, result, outcome, fitness: value, reply });
  }
}
