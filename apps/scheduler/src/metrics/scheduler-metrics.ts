import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { CampaignStore } from '../campaign/campaign-store.js';
import type { Queues } from '../campaign/queues.js';
import type { RecordedEvent } from '../serve/recorded-event.js';
import { collectStatus } from '../status/collect-status.js';
import { DispatchGaps } from './dispatch-gaps.js';
import type { RedisClient } from '@hyperevolve/runtime';

const CAMPAIGN_STATUSES = ['running', 'paused', 'cancelled', 'done'] as const;
const QUEUE_STATES = ['waiting', 'active', 'delayed', 'prioritized', 'failed'] as const;
/** Recorder replies for a run that really happened (not a duplicate delivery). */
const RAN = new Set(['recorded', 'attempt-noted', 'surplus']);

/**
 * Prometheus metrics of `scheduler serve`. Gauges are read from Redis at scrape time, so every
 * replica reports the whole installation; histograms and counters cover the results this
 * process recorded (sum them over replicas).
 */
export class SchedulerMetrics {
  readonly registry = new Registry();
  readonly #redis: RedisClient;
  readonly #store: CampaignStore;
  readonly #queues: Queues;
  readonly #gaps = new DispatchGaps();
  readonly #trials: Gauge<'campaign' | 'status'>;
  readonly #budget: Gauge<'campaign'>;
  readonly #campaignStatus: Gauge<'campaign' | 'status'>;
  readonly #best: Gauge<'campaign'>;
  readonly #workers: Gauge<'state'>;
  readonly #epochs: Gauge<'campaign'>;
  readonly #busy: Gauge;
  readonly #queueDepth: Gauge<'queue' | 'state'>;
  readonly #duration: Histogram<'campaign' | 'outcome'>;
  readonly #gap: Histogram;
  readonly #results: Counter<'campaign' | 'outcome'>;

  constructor(options: { redis: RedisClient; store: CampaignStore; queues: Queues }) {
    this.#redis = options.redis;
    this.#store = options.store;
    this.#queues = options.queues;
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry });
    this.#trials = new Gauge({ name: 'hyperevolve_trials', help: 'Trials by status: succeeded (recorded), failed, pruned, running, queued', labelNames: ['campaign', 'status'], registers });
    this.#budget = new Gauge({ name: 'hyperevolve_campaign_budget', help: 'Trials the campaign is to record', labelNames: ['campaign'], registers });
    this.#campaignStatus = new Gauge({ name: 'hyperevolve_campaign_status', help: '1 for the status the campaign is in', labelNames: ['campaign', 'status'], registers });
    this.#epochs = new Gauge({ name: 'hyperevolve_epochs_recorded', help: 'Epochs the workers recorded while trials ran, all trials and runs (only grows)', labelNames: ['campaign'], registers });
    this.#best = new Gauge({ name: 'hyperevolve_best_fitness', help: 'Best fitness recorded so far', labelNames: ['campaign'], registers });
    this.#workers = new Gauge({ name: 'hyperevolve_workers', help: 'Workers by state: busy, idle, silent (no heartbeat for 10 s, listed for an hour)', labelNames: ['state'], registers });
    this.#busy = new Gauge({ name: 'hyperevolve_workers_busy', help: 'Workers running a trial now', registers });
    this.#queueDepth = new Gauge({ name: 'hyperevolve_queue_depth', help: 'BullMQ jobs by queue and state', labelNames: ['queue', 'state'], registers });
    this.#duration = new Histogram({
      name: 'hyperevolve_trial_duration_seconds',
      help: 'Wall time of one run of a trial (recorded by this scheduler)',
      labelNames: ['campaign', 'outcome'],
      buckets: [1, 5, 15, 30, 60, 120, 300, 600, 1200, 1800, 3600, 7200, 14_400, 28_800, 86_400],
      registers,
    });
    this.#gap = new Histogram({
      name: 'hyperevolve_dispatch_gap_seconds',
      help: "A worker's idle time between the end of one run and the start of its next",
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 300, 900],
      registers,
    });
    this.#results = new Counter({ name: 'hyperevolve_results_recorded_total', help: 'Results this scheduler recorded, by outcome', labelNames: ['campaign', 'outcome'], registers });
  }

  /** The service's onRecorded hook. */
  observe(event: RecordedEvent): void {
    if (!RAN.has(event.reply.code)) return;
    const outcome = event.reply.code === 'surplus' ? 'surplus' : event.outcome;
    this.#results.inc({ campaign: event.campaign, outcome });
    this.#duration.observe({ campaign: event.campaign, outcome }, Math.max(0, event.finishedAt - event.startedAt) / 1000);
    const gap = this.#gaps.next(event.workerId, event.startedAt, event.finishedAt);
    if (gap !== null) this.#gap.observe(gap / 1000);
  }

  /** The text exposition format, with the gauges read from Redis now. */
  async render(): Promise<string> {
    await this.#refresh();
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  async #refresh(): Promise<void> {
    const [view, trialCounts, resultCounts] = await Promise.all([
      collectStatus(this.#redis, this.#store, null),
      this.#queues.trials.getJobCounts(...QUEUE_STATES),
      this.#queues.results.getJobCounts(...QUEUE_STATES),
    ]);
    for (const gauge of [this.#trials, this.#budget, this.#campaignStatus, this.#best, this.#epochs, this.#workers, this.#queueDepth]) gauge.reset();
    for (const c of view.campaigns) {
      this.#trials.set({ campaign: c.name, status: 'succeeded' }, c.recorded);
      this.#trials.set({ campaign: c.name, status: 'failed' }, c.failed);
      if (c.pruning) this.#trials.set({ campaign: c.name, status: 'pruned' }, c.pruning.pruned);
      this.#trials.set({ campaign: c.name, status: 'running' }, c.running);
      this.#trials.set({ campaign: c.name, status: 'queued' }, c.queued);
      this.#budget.set({ campaign: c.name }, c.budget);
      this.#epochs.set({ campaign: c.name }, c.epochs ?? 0);
      for (const status of CAMPAIGN_STATUSES) this.#campaignStatus.set({ campaign: c.name, status }, c.status === status ? 1 : 0);
      if (c.best !== null) this.#best.set({ campaign: c.name }, c.best.fitness);
    }
    const busy = view.workers.filter((w) => !w.silent && w.currentTrial !== null).length;
    const silent = view.workers.filter((w) => w.silent).length;
    this.#busy.set(busy);
    this.#workers.set({ state: 'busy' }, busy);
    this.#workers.set({ state: 'idle' }, view.workers.length - silent - busy);
    this.#workers.set({ state: 'silent' }, silent);
    for (const state of QUEUE_STATES) {
      this.#queueDepth.set({ queue: 'trials', state }, trialCounts[state] ?? 0);
      this.#queueDepth.set({ queue: 'results', state }, resultCounts[state] ?? 0);
    }
  }
}
