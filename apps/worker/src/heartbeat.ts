import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { globalKeys, type WorkerHeartbeat, type WorkerIdentity } from '@hyperevolve/contract';

export interface HeartbeatOptions {
  redis: Redis;
  prefix: string;
  identity: WorkerIdentity;
  intervalMs: number;
  log: Logger;
}

/**
 * Tells the cluster this device-worker is alive: every interval the hash
 * `<prefix>:worker:<id>` (WorkerHeartbeatSchema fields) is rewritten with a TTL of 3 intervals
 * and `<prefix>:workers` gets id → now. A dead worker's hash expires on its own; a clean stop
 * deletes both.
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

  constructor(options: HeartbeatOptions) {
    this.#options = options;
    this.#key = globalKeys(options.prefix).worker(options.identity.id);
  }

  start(): void {
    this.#beat();
    this.#timer = setInterval(() => this.#beat(), this.#options.intervalMs);
  }

  /** @param trial `<campaign>/<index>` */
  trialStarted(trial: string, at: number): void {
    this.#trial = { id: trial, startedAt: at };
    this.#beat();
  }

  trialEnded(at: number): void {
    this.#trial = undefined;
    this.#lastTrialEndedAt = at;
    this.#options.redis.hdel(this.#key, 'currentTrial', 'trialStartedAt').catch((error: unknown) => this.#failed(error));
    this.#beat();
  }

  /**
   * Stops beating and removes this worker from the registry. Waits at most `waitMs` for Redis:
   * when it is down the hash expires on its own and the scheduler prunes the stale entry.
   */
  async stop(waitMs = 2000): Promise<void> {
    clearInterval(this.#timer);
    this.#timer = undefined;
    const { redis, prefix, identity, log } = this.#options;
    const cleanup = (async () => {
      await this.#inFlight;
      await redis.multi().del(this.#key).zrem(globalKeys(prefix).workers, identity.id).exec();
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
    };
    return Object.fromEntries(Object.entries(beat).map(([key, value]) => [key, String(value)]));
  }

  #beat(): void {
    if (this.#inFlight !== undefined) return;
    const { redis, prefix, identity, intervalMs } = this.#options;
    const now = Date.now();
    this.#inFlight = redis
      .multi()
      .hset(this.#key, this.#fields(now))
      .pexpire(this.#key, intervalMs * 3)
      .zadd(globalKeys(prefix).workers, now, identity.id)
      .exec()
      .then(() => {
        if (this.#failing) this.#options.log.info('heartbeat restored');
        this.#failing = false;
      })
      .catch((error: unknown) => this.#failed(error))
      .finally(() => {
        this.#inFlight = undefined;
      });
  }

  #failed(error: unknown): void {
    if (!this.#failing) this.#options.log.warn({ err: error }, 'heartbeat failed; retrying every interval');
    this.#failing = true;
  }
}
