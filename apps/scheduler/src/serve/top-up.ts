import type { Logger } from 'pino';
import { commandAllowed, countAllowing, type CampaignConfig } from '@hyperevolve/contract';
import type { CampaignStore } from '../campaign/campaign-store.js';
import type { Queues } from '../campaign/queues.js';
import type { Breeder } from './breeder.js';
import type { RedisClient } from '@hyperevolve/runtime';
import type { LiveWorker, LiveWorkers } from './live-workers.js';
import { Recent } from './recent.js';

/**
 * How long a campaign seen not running goes without its status being read again: a resumed or
 * extended campaign gets its next trials at most this much later (one or two ticks).
 */
export const IDLE_RECHECK_MS = 500;

/**
 * How long the campaign names and the live workers a pass read are used again: they change when
 * a campaign is made or deleted and when a worker starts or stops, so a new campaign or worker
 * is seen at most this much later; the queue's counts and the statuses are read on every pass.
 */
export const SLOW_READS_MS = 250;

interface RunningCampaign {
  name: string;
  /** null when the config cannot be read: the breeder reports why and issues nothing. */
  command: readonly string[] | null;
  /** As read in this pass, handed to the breeder so that it does not read it again; null as for `command`. */
  config: CampaignConfig | null;
}

/**
 * Keeps about one waiting trial per idle worker, plus a look-ahead. Candidates are bred
 * here, at the last moment, so each one sees the freshest population.
 *
 * While results wait to be recorded, only a kick that follows a recording may breed: the
 * recorder kicks again after each result, and breeding before a pending result is recorded
 * would use a population that is about to change (and would make a 1-worker run depend on
 * timing instead of on its seed).
 *
 * Only workers count that may run something: a campaign's trials are bred while some live
 * worker's allow-list takes its command, and no more of them are in flight than such workers
 * plus the look-ahead. With no live worker at all, the look-ahead is bred for the first one.
 */
export class TopUp {
  readonly #redis: RedisClient;
  readonly #store: CampaignStore;
  readonly #queues: Queues;
  readonly #breeder: Breeder;
  readonly #log: Logger;
  readonly #lookahead: number;
  #running: Promise<void> | null = null;
  #again = false;
  #againAfterRecord = false;
  #rotation = 0;
  /** Campaigns last seen not running, and until when their status is not read again. */
  readonly #idleUntil = new Map<string, number>();
  readonly #liveWorkers: Recent<LiveWorker[]>;
  readonly #names: Recent<string[]>;

  readonly #seen: ((running: readonly string[]) => void) | undefined;
  /** Campaigns this top-up issued trials of: the ones it serves (a broken campaign it cannot breed gets nothing written). */
  readonly #issuedTo = new Set<string>();
  /**
   * The running campaigns' configs, with the start time of the campaign they belong to: a
   * config never changes while its campaign lives, and a campaign made again under its name
   * has another start time, so a pass reads a config only when that changed.
   */
  readonly #configs = new Map<string, { startedAt: string; campaign: RunningCampaign }>();

  /** @param options.seen told at each pass of the running campaigns it issued trials of (their served marks), and of each at its first issue. */
  constructor(options: { redis: RedisClient; store: CampaignStore; queues: Queues; breeder: Breeder; workers: LiveWorkers; log: Logger; lookahead: number; seen?: (running: readonly string[]) => void }) {
    this.#redis = options.redis;
    this.#seen = options.seen;
    this.#liveWorkers = new Recent(() => options.workers.read(), SLOW_READS_MS);
    this.#names = new Recent(() => options.store.listNames(), SLOW_READS_MS);
    this.#store = options.store;
    this.#queues = options.queues;
    this.#breeder = options.breeder;
    this.#log = options.log;
    this.#lookahead = options.lookahead;
  }

  /** Asks for a top-up; concurrent kicks coalesce into one more pass. */
  kick(afterRecord = false): void {
    if (this.#running !== null) {
      this.#again = true;
      this.#againAfterRecord ||= afterRecord;
      return;
    }
    this.#running = this.#loop(afterRecord)
      .catch((error: unknown) => this.#log.warn({ err: error }, 'top-up failed; will retry on the next tick'))
      .finally(() => {
        this.#running = null;
      });
  }

  /** Resolves when the current pass (if any) is over. */
  async idle(): Promise<void> {
    while (this.#running !== null) await this.#running;
  }

  async #loop(afterRecord: boolean): Promise<void> {
    let fromRecord = afterRecord;
    for (;;) {
      await this.#once(fromRecord);
      if (!this.#again) return;
      fromRecord = this.#againAfterRecord;
      this.#again = false;
      this.#againAfterRecord = false;
    }
  }

  async #once(afterRecord: boolean): Promise<void> {
    // Trial counts first, pending results after: a worker posts its result before its trial
    // job completes, so a trial seen finished here has its result either still pending below or
    // already recorded. The other order let a result land between the two reads, and a 1-worker
    // campaign then bred its next trial from a population without it (seen under load).
    const [counts, workers, running] = await Promise.all([
      this.#queues.trials.getJobCounts('waiting', 'prioritized', 'active'),
      this.#liveWorkers.get(),
      this.#runningCampaigns(),
    ]);
    if (!afterRecord) {
      const pending = await this.#queues.results.getJobCounts('waiting', 'active', 'prioritized');
      if ((pending.waiting ?? 0) + (pending.active ?? 0) + (pending.prioritized ?? 0) > 0) return;
    }
    const allowed = workers.map((w) => w.allowed);
    const runnable = workers.length === 0 ? running : running.filter((c) => c.command === null || countAllowing(allowed, c.command) > 0);
    if (runnable.length === 0) return;
    const useful = workers.filter((w) => runnable.some((c) => mayRun(w, c))).length;
    const idle = Math.max(0, useful - (counts.active ?? 0));
    let deficit = idle + this.#lookahead - (counts.waiting ?? 0) - (counts.prioritized ?? 0);
    if (deficit <= 0) return;
    const room = await this.#room(runnable, workers);
    const start = this.#rotation++ % runnable.length;
    const order = [...runnable.slice(start), ...runnable.slice(0, start)];
    // Each campaign gets an even share, bred and issued in one batch; what a campaign cannot
    // take (budget, status, workers that may run it) goes round again to the others.
    let progressed = true;
    while (deficit > 0 && progressed) {
      progressed = false;
      const share = Math.ceil(deficit / order.length);
      for (const { name, config } of order) {
        if (deficit <= 0) break;
        const wanted = Math.min(share, deficit, room.get(name) ?? Number.POSITIVE_INFINITY);
        if (wanted <= 0) continue;
        const issued = await this.#breeder.issueMany(name, wanted, config ?? undefined);
        if (issued > 0 && !this.#issuedTo.has(name)) {
          this.#issuedTo.add(name);
          this.#seen?.([name]);
        }
        deficit -= issued;
        if (room.has(name)) room.set(name, (room.get(name) ?? 0) - issued);
        if (issued > 0) progressed = true;
      }
    }
  }

  /**
   * Trials each campaign that only some workers may run can still take: those workers plus
   * the look-ahead, less what it has in flight. Campaigns every worker may run are not capped.
   */
  async #room(campaigns: readonly RunningCampaign[], workers: readonly LiveWorker[]): Promise<Map<string, number>> {
    const room = new Map<string, number>();
    if (workers.length === 0) return room;
    const allowed = workers.map((w) => w.allowed);
    const capped = campaigns.flatMap((c) => {
      const allowing = c.command === null ? workers.length : countAllowing(allowed, c.command);
      return allowing < workers.length ? [{ name: c.name, allowing }] : [];
    });
    if (capped.length === 0) return room;
    const inflight = await Promise.all(capped.map((c) => this.#redis.scard(this.#store.keys(c.name).inflight)));
    capped.forEach((c, i) => room.set(c.name, c.allowing + this.#lookahead - (inflight[i] ?? 0)));
    return room;
  }

  /**
   * The campaigns running now. A campaign seen not running (done, paused, cancelled, gone) is
   * looked at again only after {@link IDLE_RECHECK_MS}, so a pass, which follows every recorded
   * result, reads the status of the running campaigns only, not of every campaign ever made.
   */
  async #runningCampaigns(): Promise<RunningCampaign[]> {
    const now = Date.now();
    const all = await this.#names.get();
    const listed = new Set(all);
    for (const name of this.#idleUntil.keys()) if (!listed.has(name)) this.#idleUntil.delete(name);
    for (const name of this.#issuedTo) if (!listed.has(name)) this.#issuedTo.delete(name);
    for (const name of this.#configs.keys()) if (!listed.has(name)) this.#configs.delete(name);
    const names = all.filter((name) => (this.#idleUntil.get(name) ?? 0) <= now);
    const states = await Promise.all(names.map((name) => this.#redis.hmget(this.#store.keys(name).state, 'status', 'startedAt')));
    names.forEach((name, i) => {
      if (states[i]?.[0] === 'running') this.#idleUntil.delete(name);
      else this.#idleUntil.set(name, now + IDLE_RECHECK_MS);
    });
    const running = names.flatMap((name, i) => (states[i]?.[0] === 'running' ? [{ name, startedAt: states[i]?.[1] ?? null }] : []));
    const campaigns = await Promise.all(running.map(({ name, startedAt }) => this.#campaign(name, startedAt)));
    this.#seen?.(campaigns.filter((c) => this.#issuedTo.has(c.name)).map((c) => c.name));
    return campaigns;
  }

  /** A running campaign's config: read once per campaign (per start time), or on every pass where its state has no start time. */
  async #campaign(name: string, startedAt: string | null): Promise<RunningCampaign> {
    const known = this.#configs.get(name);
    if (known !== undefined && known.startedAt === startedAt) return known.campaign;
    const config = await this.#store.readConfig(name).catch(() => null);
    const campaign = { name, command: config?.command ?? null, config };
    if (config !== null && startedAt !== null) this.#configs.set(name, { startedAt, campaign });
    else this.#configs.delete(name);
    return campaign;
  }
}

function mayRun(worker: LiveWorker, campaign: RunningCampaign): boolean {
  return worker.allowed === null || campaign.command === null || commandAllowed(worker.allowed, campaign.command);
}
