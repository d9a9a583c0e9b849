import type { Job, Worker } from 'bullmq';
import type { Logger } from 'pino';
import { RESULTS_QUEUE, TrialResultSchema, describeZodError, metricsFromWire, type TrialResult } from '@hyperevolve/contract';
import { fitness, trainerProfile } from '@hyperevolve/ga-core';
import { RepairingQueueWorker, type RedisClient } from '@hyperevolve/runtime';
import type { CampaignStore } from '../campaign/campaign-store.js';
import type { RecordOutcome, RecordReply } from '@hyperevolve/trial-store';

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
    let outcome: RecordOutcome = result.outcome === 'succeeded' || result.outcome === 'pruned' ? result.outcome : result.final ? 'failed' : 'attempt-failed';
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
    // A run that started wrote its run fields then; only a run refused before it started has them here.
    const unstartedRun = result.started === false
      ? { attempt: result.attempt, runName: result.runName, worker: result.worker, device: result.worker.device, startedAt: result.startedAt, trialDir: result.trialDir, logPath: result.logPath, command: result.command }
      : null;
    const recorded = await this.#store.trials.record(result.campaign, result.index, {
      outcome,
      fitness: value,
      maxConsecutiveFailures: config.maxConsecutiveFailures,
      runName: result.runName,
      unstartedRun,
      startedAt: result.startedAt,
      endedAt: result.finishedAt,
      metrics: result.metrics,
      failure,
      pruned: result.pruned ?? null,
    });
    const reply = await this.#noteFailure(result, outcome, failure, recorded, log);
    if (reply.code === 'unknown-trial') log.warn('result for a trial that was never issued dropped (issued before Redis lost and re-created this campaign? scheduler status tells)');
    if (reply.code === 'surplus') log.warn('result beyond the budget kept aside (status surplus)');
    if (reply.code === 'recorded' && outcome === 'pruned' && result.pruned != null) {
      const { rung, fitness: at, cut } = result.pruned;
      log.info({ outcome, rung, fitness: at, cut }, `trial pruned after epoch ${rung}: fitness ${at} below the cut ${cut}`);
    } else if (reply.code === 'recorded') {
      log.info({ outcome, fitness: Number.isFinite(value) ? value : undefined, recorded: reply.recorded, best: reply.bestChanged || undefined }, `trial ${outcome}`);
    }
    this.#hooks.onRecorded({ campaign: result.campaign, index: result.index, result, outcome, fitness: value, reply });
  }

  /**
   * A recorded failure's signature goes on the campaign (TrialStore.noteFailure): trials failing
   * the same way in a row pause it. The reply carries the campaign's status after that.
   */
  async #noteFailure(result: TrialResult, outcome: RecordOutcome, failure: TrialResult['failure'], reply: RecordReply, log: Logger): Promise<RecordReply> {
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
