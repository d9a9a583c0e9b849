import { hostname } from 'node:os';
import type { Logger } from 'pino';
import { CampaignStore } from '../campaign/campaign-store.js';
import { openQueues, type Queues } from '../campaign/queues.js';
import { removeQueuedJobs } from '../campaign/remove-queued-jobs.js';
import type { ExtraFile } from '../exports/campaign-export.js';
import { Breeder } from './breeder.js';
import { CampaignLossWatch } from './campaign-loss-watch.js';
import { Completions } from './completions.js';
import { Exporter } from './exporter.js';
import { LiveWorkers } from './live-workers.js';
import { SCHEDULER_BEAT_MS, beat, leave } from './presence.js';
import { Reconciler } from './reconciler.js';
import type { RecordedEvent } from './recorded-event.js';
import { Recorder } from './recorder.js';
import { ServedMarks } from './served-marks.js';
import { TopUp } from './top-up.js';
import type { RedisClient } from '@hyperevolve/runtime';

export interface SchedulerServiceOptions {
  redis: RedisClient;
  prefix: string;
  /** The process's one campaign store (on `redis`, under `prefix`); made here when not given. */
  store?: CampaignStore;
  log: Logger;
  lookahead: number;
  tickMs: number;
  reconcileMs: number;
  exportIntervalMs: number;
  resultsLockMs?: number;
  resultsStalledMs?: number;
  extras?: readonly ExtraFile[];
  /** Called after each recorded result (dashboard, metrics). */
  onRecorded?: (event: RecordedEvent) => void;
}

/** `scheduler serve`: top-up, recorder (and the runs workers recorded), reconciler, exporter and presence, started and stopped together. */
export class SchedulerService {
  readonly id = `${hostname()}:${process.pid}`;
  readonly store: CampaignStore;
  readonly queues: Queues;
  readonly #options: SchedulerServiceOptions;
  readonly #log: Logger;
  readonly #topUp: TopUp;
  readonly #recorder: Recorder;
  readonly #completions: Completions;
  readonly #served: ServedMarks;
  readonly #reconciler: Reconciler;
  readonly #exporter: Exporter;
  readonly #lossWatch: CampaignLossWatch;
  readonly #timers: NodeJS.Timeout[] = [];
  /** Periodic tasks under way: stop() waits for them, so none meets a closed connection. */
  readonly #tasks = new Set<Promise<void>>();
  #reconciling = false;
  #stopping = false;
  #stopStep = 'not stopping';

  constructor(options: SchedulerServiceOptions) {
    this.#options = options;
    this.#log = options.log;
    const { redis, prefix, log } = options;
    this.store = options.store ?? new CampaignStore(redis, prefix);
    this.queues = openQueues(redis, prefix);
    const breeder = new Breeder(this.store, this.queues, log.child({ part: 'breeder' }));
    const workers = new LiveWorkers(redis, prefix);
    this.#served = new ServedMarks(redis, prefix);
    this.#topUp = new TopUp({ redis, store: this.store, queues: this.queues, breeder, workers, log: log.child({ part: 'top-up' }), lookahead: options.lookahead, seen: (running) => this.#served.renew(running) });
    this.#lossWatch = new CampaignLossWatch(this.store, log.child({ part: 'campaigns' }));
    this.#exporter = new Exporter({ redis, store: this.store, log: log.child({ part: 'exporter' }), intervalMs: options.exportIntervalMs, extras: options.extras ?? [], onWritten: (name, dir) => this.#lossWatch.saw(name, dir) });
    this.#reconciler = new Reconciler({ redis, store: this.store, queues: this.queues, workers, log: log.child({ part: 'reconciler' }) });
    this.#recorder = new Recorder({
      redis,
      store: this.store,
      log: log.child({ part: 'recorder' }),
      hooks: { onRecorded: (event) => this.#onRecorded(event) },
      lockMs: options.resultsLockMs ?? 10_000,
      stalledMs: options.resultsStalledMs ?? 5_000,
    });
    this.#completions = new Completions({
      redis,
      prefix,
      consumer: this.id,
      log: log.child({ part: 'recorder' }),
      hooks: {
        onRecorded: (event) => this.#onRecorded(event),
        onSkipped: (name) => this.requestExport(name),
      },
    });
  }

  async start(): Promise<void> {
    const { redis, prefix } = this.#options;
    await beat(redis, prefix, this.id);
    await this.#completions.start();
    await this.#exporter.catchUp();
    this.#recorder.start();
    this.#every(SCHEDULER_BEAT_MS, () => beat(redis, prefix, this.id));
    this.#every(this.#options.tickMs, async () => {
      this.#topUp.kick();
      await Promise.resolve();
    });
    this.#every(this.#options.reconcileMs, () => this.reconcile());
    this.#every(this.#options.reconcileMs, () => this.#lossWatch.check());
    this.#topUp.kick();
    this.#log.info({ id: this.id, lookahead: this.#options.lookahead }, 'scheduler serving');
  }

  async reconcile(): Promise<void> {
    if (this.#reconciling || this.#stopping) return;
    this.#reconciling = true;
    try {
      const report = await this.#reconciler.runOnce();
      if (report.failedRecorded > 0 || report.requeued > 0) this.#topUp.kick();
    } finally {
      this.#reconciling = false;
    }
  }

  /** Asks the exporter to rewrite a campaign's files soon (an extra file that held back its last write). */
  requestExport(name: string): void {
    if (!this.#stopping) this.#exporter.markDirty(name);
  }

  /** Stops taking results, finishes the recording and the file writes under way, leaves. */
  /** What a stop that cannot reach Redis leaves unsaved: results being recorded, campaign files not rewritten. */
  unsaved(): string[] {
    return [
      ...this.#recorder.inProgress(),
      ...this.#exporter.pending().map((name) => `the files of campaign ${name} (evolve.csv, hyp_evolve.yaml, evolve.png)`),
    ];
  }

  /** While stopping: the step under way, for a stop that overruns its grace to name. */
  get stopStep(): string {
    return this.#stopStep;
  }

  async stop(): Promise<void> {
    if (this.#stopping) return;
    this.#stopping = true;
    for (const timer of this.#timers) clearInterval(timer);
    // A reconcile or a presence beat begun just before the stop would otherwise go on after
    // the connection closed and log "Connection is closed" under "scheduler stopped".
    this.#stopStep = 'finishing the periodic tasks under way (reconcile, presence)';
    await Promise.all([...this.#tasks]);
    this.#stopStep = 'recording the results under way';
    await Promise.all([this.#recorder.close(), this.#completions.close()]);
    this.#stopStep = 'breeding the candidates under way';
    await this.#topUp.idle();
    // Workers record their own runs no more (they post them for the next scheduler), and what
    // they recorded until now is in Redis before the last export reads it.
    this.#stopStep = 'taking the served marks off the campaigns';
    for (const name of this.#served.names()) this.#exporter.markDirty(name);
    await this.#served.clear().catch((error: unknown) => this.#log.warn({ err: error }, 'could not take the served marks off; they expire by themselves within 5 s'));
    // The last write of each file is the one of every row: a picture still drawing in the
    // background (evolve.png) is drawn now and written by the exporter's final flush.
    for (const extra of this.#options.extras ?? []) for (const name of extra.settle?.() ?? []) this.#exporter.markDirty(name);
    const exporting = this.#exporter.pending();
    this.#stopStep = `writing the last files${exporting.length === 0 ? '' : ` of campaign${exporting.length === 1 ? '' : 's'} ${exporting.join(', ')}`} (evolve.csv, hyp_evolve.yaml, evolve.png)`;
    await this.#exporter.close();
    this.#stopStep = 'leaving the scheduler registry and closing the queues';
    await leave(this.#options.redis, this.#options.prefix, this.id).catch(() => undefined);
    await this.queues.close();
    this.#log.info('scheduler stopped');
  }

  #every(ms: number, task: () => Promise<unknown>): void {
    const timer = setInterval(() => {
      if (this.#stopping) return;
      const running: Promise<void> = task()
        .then(() => undefined, (error: unknown) => this.#log.warn({ err: error }, 'periodic task failed; will retry'))
        .finally(() => this.#tasks.delete(running));
      this.#tasks.add(running);
    }, ms);
    this.#timers.push(timer);
  }

  #onRecorded(event: RecordedEvent): void {
    if (event.reply.code === 'recorded' || event.reply.code === 'already-final') {
      if (event.outcome !== 'attempt-failed') this.#exporter.markDirty(event.campaign);
    }
    if (event.reply.campaignStatus === 'paused' && event.outcome === 'failed') {
      this.#log.warn({ campaign: event.campaign }, 'campaign paused by the circuit breaker: too many failed trials in a row; see scheduler status, then scheduler resume');
      removeQueuedJobs(this.queues, event.campaign).catch((error: unknown) => this.#log.warn({ err: error }, 'could not take queued trials off the queue'));
    }
    if (!this.#stopping) this.#topUp.kick(true);
    this.#options.onRecorded?.(event);
  }
}
