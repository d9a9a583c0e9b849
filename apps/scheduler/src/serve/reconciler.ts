import type { Logger } from 'pino';
import { CorruptStateError, FINAL_TRIAL_STATUSES, commandProgram, countAllowing, trialJobId } from '@hyperevolve/contract';
import type { CampaignStore } from '../campaign/campaign-store.js';
import { addTrialJob, type Queues } from '../campaign/queues.js';
import { removeQueuedJobs } from '../campaign/remove-queued-jobs.js';
import { reportCorruptState } from './corrupt-state-report.js';
import type { RedisClient } from '@hyperevolve/runtime';
import type { LiveWorker, LiveWorkers } from './live-workers.js';

/** Scans a trial must be seen without a job before it is queued again (a result may be on its way). */
const MISSING_SCANS = 2;
/** After this many scans it is queued again even while results are still pending. */
const MISSING_SCANS_FORCED = 5;

export interface ReconcileReport {
  requeued: number;
  failedRecorded: number;
  repaired: number;
}

/**
 * Repairs what crashes leave behind, by comparing each in-flight trial with its job:
 * - no job (a scheduler died between issuing and queueing, or Redis lost the tail of its
 *   append-only file): queue it again (the job id makes that idempotent);
 * - a job BullMQ failed on its own (stalled too often, a worker died before reporting):
 *   record the trial as failed so its generation is issued again;
 * - a trial already final but still in the set: drop it from the set;
 * - a paused campaign's job still queued (a worker took it as the campaign paused, and handed
 *   it back): take it off the queue, so workers do not pick it up again and again until resume;
 * - a running campaign whose command no live worker allows (while some workers are alive):
 *   its queued jobs likewise, until such a worker beats; then they are queued again.
 */
export class Reconciler {
  readonly #redis: RedisClient;
  readonly #store: CampaignStore;
  readonly #queues: Queues;
  readonly #workers: LiveWorkers;
  readonly #log: Logger;
  readonly #missing = new Map<string, number>();
  /** Campaigns waiting for a worker that allows their command (said once, until one comes). */
  readonly #unrunnable = new Set<string>();

  constructor(options: { redis: RedisClient; store: CampaignStore; queues: Queues; workers: LiveWorkers; log: Logger }) {
    this.#redis = options.redis;
    this.#store = options.store;
    this.#queues = options.queues;
    this.#workers = options.workers;
    this.#log = options.log;
  }

  async runOnce(): Promise<ReconcileReport> {
    const report: ReconcileReport = { requeued: 0, failedRecorded: 0, repaired: 0 };
    const seen = new Set<string>();
    const pending = await this.#queues.results.getJobCounts('waiting', 'active', 'prioritized', 'delayed');
    const resultsPending = Object.values(pending).reduce((a, b) => a + b, 0) > 0;
    const workers = await this.#workers.read();
    for (const name of await this.#store.listNames()) {
      try {
        await this.#reconcile(name, report, seen, resultsPending, workers);
      } catch (error) {
        // One damaged campaign must not stop the repairs of all the others.
        if (!reportCorruptState(this.#log, error, `campaign ${name} is not reconciled`)) throw error;
      }
    }
    for (const marker of this.#missing.keys()) if (!seen.has(marker)) this.#missing.delete(marker);
    return report;
  }

  async #reconcile(name: string, report: ReconcileReport, seen: Set<string>, resultsPending: boolean, workers: readonly LiveWorker[]): Promise<void> {
    const config = await this.#store.readConfig(name);
    const status = await this.#redis.hget(this.#store.keys(name).state, 'status');
    if (config === null || status === null || status === 'cancelled') return;
    if (status === 'paused') {
      const removed = await removeQueuedJobs(this.#queues, name);
      if (removed > 0) this.#log.info({ campaign: name, removed }, 'took trial jobs of a paused campaign off the queue; they are queued again on resume');
    }
    const unrunnable = status === 'running' && workers.length > 0 && countAllowing(workers.map((w) => w.allowed), config.command) === 0;
    if (unrunnable) {
      const removed = await removeQueuedJobs(this.#queues, name);
      if (!this.#unrunnable.has(name)) {
        this.#unrunnable.add(name);
        this.#log.warn({ campaign: name, removed },
          `no live worker allows \`${commandProgram(config.command)}\`: the campaign's trials wait for one (start a worker with --allow-command "${commandProgram(config.command)}")`);
      }
    } else if (this.#unrunnable.delete(name)) {
      this.#log.info({ campaign: name }, `a worker that allows \`${commandProgram(config.command)}\` is alive; the campaign's trials are queued again`);
    }
    const keys = this.#store.keys(name);
    const inflight = (await this.#redis.smembers(keys.inflight)).map(Number).sort((a, b) => a - b);
    for (const index of inflight) {
      const marker = `${name}#${index}`;
      seen.add(marker);
      const [trialStatus = null] = await this.#store.trials.readStatuses(name, [index]);
      if (trialStatus === null || FINAL_TRIAL_STATUSES.has(trialStatus)) {
        await this.#redis.srem(keys.inflight, index);
        report.repaired += 1;
        continue;
      }
      const jobState = await this.#queues.trials.getJobState(trialJobId(name, index));
      if (jobState === 'failed') {
        const job = await this.#queues.trials.getJob(trialJobId(name, index));
        const reason = job?.failedReason ?? 'the job failed without a report from its worker';
        const reply = await this.#store.trials.fail(name, index, reason, config.maxConsecutiveFailures);
        if (reply.code === 'recorded') report.failedRecorded += 1;
        await job?.remove().catch(() => undefined);
        this.#missing.delete(marker);
        continue;
      }
      if (jobState !== 'unknown' && jobState !== 'completed') {
        this.#missing.delete(marker);
        continue;
      }
      if (status !== 'running' || unrunnable) continue;
      const scans = (this.#missing.get(marker) ?? 0) + 1;
      this.#missing.set(marker, scans);
      if (scans < MISSING_SCANS || (resultsPending && scans < MISSING_SCANS_FORCED)) continue;
      if (jobState === 'completed') await (await this.#queues.trials.getJob(trialJobId(name, index)))?.remove().catch(() => undefined);
      let trial;
      try {
        [trial = { index, hyp: {} }] = await this.#store.trials.readRequeued(name, [index]);
      } catch (error) {
        if (!(error instanceof CorruptStateError)) throw error;
        this.#log.error({ campaign: name, index, key: error.key }, `${error.message} Without a valid hyp the trial cannot run again: recording it as failed and issuing its generation anew.`);
        await this.#store.trials.fail(name, index, 'trial record damaged', config.maxConsecutiveFailures);
        continue;
      }
      await addTrialJob(this.#queues, config, trial);
      this.#missing.delete(marker);
      report.requeued += 1;
      this.#log.warn({ campaign: name, index }, 'trial had no job (lost in a crash); queued it again');
    }
  }
}
