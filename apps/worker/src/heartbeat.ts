import type { Logger } from 'pino';
import { globalKeys, type Stray, type WorkerHeartbeat, type WorkerIdentity } from '@hyperevolve/contract';
import type { RedisClient } from '@hyperevolve/runtime';

export interface HeartbeatOptions {
  redis: RedisClient;
  prefix: string;
  identity: WorkerIdentity;
  /** The allow-list as published (encodeAllowedCommands): the scheduler queues only what some live worker may run. */
  allow: string;
  intervalMs: number;
  log: Logger;
}

/**
 * A trial's start and end are told this much later, and only when nothing changed meanwhile:
 * a trial shorter than this is never written on its own (the periodic beat shows what runs
 * then), and back-to-back trials beat once each, shortly after their start. A trial's start
 * is status, not state: nothing but `status`, the dashboard and the metrics read it.
 */
export const IDLE_BEAT_DELAY_MS = 250;

/**
 * Tells the cluster this device-worker is alive: every interval the hash
 * `<prefix>:worker:<id>` (WorkerHeartbeatSchema fields) is rewritten with a TTL of 3 intervals
 * and `<prefix>:workers` gets id → now. A dead worker's hash expires on its own; a clean stop
 * deletes both. A trial's start or end is written {@link IDLE_BEAT_DELAY_MS} after it, unless
 * another start or end came meanwhile: the beat then tells the latest.
 */
export class Heartbeat {
  readonly #options: HeartbeatOptions;
  readonly #key: string;
  readonly #startedAt = Date.now();
  #timer: NodeJS.Timeout | undefined;
  /** A beat still waiting on Redis (e.g. while it restarts): the next one is skipped, not queued behind it. */
  #inFlight: Promise<void> | undefined;
  #trial: { id: string; startedAt: number } | undefined;
  #lastTrialEndedAt: number | undefined;
  #failing = false;
  /** A beat was asked for while one was in flight: it runs when that one settles. */
  #again = false;
  #pendingBeat: NodeJS.Timeout | undefined;
  #stopped = false;
  #strays: readonly Stray[] = [];

  constructor(options: HeartbeatOptions) {
    this.#options = options;
    this.#key = globalKeys(options.prefix).worker(options.identity.id);
  }

  start(): void {
    this.#beat();
    this.#timer = setInterval(() => this.#beat(), this.#options.intervalMs);
  }

  /** The trial running now, `<campaign>/<index>`. */
  get currentTrial(): string | undefined {
    return this.#trial?.id;
  }

  /** @param trial `<campaign>/<index>` */
  trialStarted(trial: string, at: number): void {
    this.#trial = { id: trial, startedAt: at };
    this.#beatSoon();
  }

  trialEnded(at: number): void {
    this.#trial = undefined;
    this.#lastTrialEndedAt = at;
    this.#beatSoon();
  }

  /** Processes left on this worker's device, shown by `scheduler status`; written at once when they change. */
  setStrays(strays: readonly Stray[]): void {
    if (JSON.stringify(strays) === JSON.stringify(this.#strays)) return;
    this.#strays = strays;
    this.#beat();
  }

  /**
   * Stops beating and removes this worker from the registry. Waits at most `waitMs` for Redis:
   * when it is down the hash expires on its own and the scheduler prunes the stale entry.
   */
  async stop(waitMs = 2000): Promise<void> {
    this.#stopped = true;
    clearInterval(this.#timer);
    this.#timer = undefined;
    clearTimeout(this.#pendingBeat);
    this.#pendingBeat = undefined;
    const { redis, prefix, identity, log } = this.#options;
    const cleanup = (async () => {
      await this.#inFlight;
      // Two keys in two cluster slots: two commands, not one MULTI.
      await Promise.all([redis.del(this.#key), redis.zrem(globalKeys(prefix).workers, identity.id)]);
    })();
    let timer: NodeJS.Timeout | undefined;
    const gaveUp = new Promise<'gave-up'>((resolve) => {
      timer = setTimeout(() => resolve('gave-up'), waitMs);
    });
    try {
      if ((await Promise.race([cleanup, gaveUp])) === 'gave-up') log.warn('Redis did not answer; the heartbeat hash will expire on its own');
    } catch (error) {
      log.warn({ err: error }, 'could not remove the heartbeat; it will expire on its own');
    } finally {
      clearTimeout(timer);
    }
  }

  /** One beat after {@link IDLE_BEAT_DELAY_MS}, replacing a pending one: trials that start and end within it cost no round trip each. */
  #beatSoon(): void {
    clearTimeout(this.#pendingBeat);
    this.#pendingBeat = setTimeout(() => {
      this.#pendingBeat = undefined;
      this.#beat();
    }, IDLE_BEAT_DELAY_MS);
  }

  #fields(now: number): Record<string, string> {
    const { identity } = this.#options;
    const beat: WorkerHeartbeat = {
      id: identity.id,
      host: identity.host,
      device: identity.device,
      ...(identity.gpuUuid === undefined ? {} : { gpuUuid: identity.gpuUuid }),
      pid: process.pid,
      startedAt: this.#startedAt,
      lastBeat: now,
      ...(this.#trial === undefined ? {} : { currentTrial: this.#trial.id, trialStartedAt: this.#trial.startedAt }),
      ...(this.#lastTrialEndedAt === undefined ? {} : { lastTrialEndedAt: this.#lastTrialEndedAt }),
      allow: this.#options.allow,
      ...(this.#strays.length === 0 ? {} : { strays: JSON.stringify(this.#strays) }),
    };
    return Object.fromEntries(Object.entries(beat).map(([key, value]) => [key, String(value)]));
  }

  #beat(): void {
    if (this.#stopped) return;
    if (this.#inFlight !== undefined) {
      // Not dropped: a trial's start must not wait for the next interval to show.
      this.#again = true;
      return;
    }
    const { redis, prefix, identity, intervalMs } = this.#options;
    const now = Date.now();
    // The hash and its TTL in one MULTI (never a hash without a TTL); the registry entry is
    // another key in another cluster slot, so it is written beside it, not inside it.
    const multi = redis.multi();
    if (this.#trial === undefined) multi.hdel(this.#key, 'currentTrial', 'trialStartedAt');
    if (this.#strays.length === 0) multi.hdel(this.#key, 'strays');
    multi.hset(this.#key, this.#fields(now)).pexpire(this.#key, intervalMs * 3);
    this.#inFlight = Promise.all([multi.exec(), redis.zadd(globalKeys(prefix).workers, now, identity.id)])
      .then(() => {
        if (this.#failing) this.#options.log.info('heartbeat restored');
        this.#failing = false;
      })
      .catch((error: unknown) => this.#failed(error))
      .finally(() => {
        this.#inFlight = undefined;
        if (this.#again) {
          this.#again = false;
          this.#beat();
        }
      });
  }

  #failed(error: unknown): void {
    if (!this.#failing) this.#options.log.warn({ err: error }, 'heartbeat failed; retrying every interval');
    this.#failing = true;
  }
}
