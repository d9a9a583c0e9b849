import type { Logger } from 'pino';
import type { LeaseScripts } from './lease-scripts.js';

export interface GpuLeaseOptions {
  scripts: LeaseScripts;
  key: string;
  holder: string;
  ttlMs: number;
  /** performance.now() just before the SET that took the lease was sent. */
  takenAt: number;
  log: Logger;
}

/** Why this worker may no longer use the GPU: someone else holds the lease, or it may have lapsed. */
export interface LeaseLoss {
  /** The other holder; null when the lease may have lapsed (no renewal reached Redis in time). */
  readonly holder: string | null;
  readonly why: string;
}

/**
 * How long before a lease's expiry in Redis its trainer must be gone. The worker stops the
 * trainer at two margins before (its own timer); the watchdog kills it at one margin before,
 * should the worker be unable to. A fifth of the TTL, however long: a loaded machine delays the
 * watchdog's timer and a killed trainer's exit by a share of the time, not by a fixed amount
 * (a tenth capped at 2 s let a trainer outlive its lease at load 10). The next holder also waits
 * for the GPU to be free of processes before its first run (StrayWatch.clearToStart).
 */
function leaseMarginMs(ttlMs: number): number {
  return Math.max(Math.round(ttlMs / 5), 100);
}

/**
 * Renewals per TTL. The lease counts as lost two margins (two fifths of the TTL) before it could
 * lapse, so renewing every fifth lets one renewal fail (a Redis hiccup, a late timer) without
 * losing it: every third lost the GPU, and killed its trial, at the first failed renewal.
 */
const RENEWALS_PER_TTL = 5;

/**
 * A GPU lease this worker has just taken: renewed every fifth of its TTL until released.
 * {@link lost} settles the moment a renewal finds the lease in someone else's hands, or when no
 * renewal has reached Redis for so long that the lease may have lapsed there (Redis away, this
 * worker frozen): from then on this worker must not use the GPU. Each renewal's deadline
 * (the send time plus the TTL: the lease cannot lapse in Redis before it) goes to the
 * {@link onValid} listeners, the lease watchdog among them.
 */
export class GpuLease {
  readonly key: string;
  readonly holder: string;
  readonly lost: Promise<LeaseLoss>;
  readonly #options: GpuLeaseOptions;
  readonly #timer: NodeJS.Timeout;
  readonly #margin: number;
  #inFlight: Promise<void> | undefined;
  #markLost: (loss: LeaseLoss) => void = () => undefined;
  #isLost = false;
  #ended = false;
  #failing = false;
  /** performance.now() by which the lease may lapse in Redis. */
  #validUntil: number;
  #expiry: NodeJS.Timeout | undefined;
  readonly #listeners: ((validUntil: number) => void)[] = [];

  constructor(options: GpuLeaseOptions) {
    this.#options = options;
    this.key = options.key;
    this.holder = options.holder;
    this.lost = new Promise((resolve) => {
      this.#markLost = (loss) => {
        this.#isLost = true;
        resolve(loss);
      };
    });
    this.#margin = leaseMarginMs(options.ttlMs);
    this.#validUntil = options.takenAt + options.ttlMs;
    this.#armExpiry();
    this.#timer = setInterval(() => this.#renew(), Math.max(Math.floor(options.ttlMs / RENEWALS_PER_TTL), 50));
  }

  /** performance.now() by which the lease may lapse in Redis, as of the last renewal. */
  get validUntil(): number {
    return this.#validUntil;
  }

  get marginMs(): number {
    return this.#margin;
  }

  /** Still this worker's, with a margin: a trainer may run on the GPU. */
  held(): boolean {
    return !this.#isLost && !this.#ended && performance.now() < this.#validUntil - this.#margin;
  }

  /** Called now with the current deadline, and after each renewal with the new one. */
  onValid(listener: (validUntil: number) => void): void {
    this.#listeners.push(listener);
    listener(this.#validUntil);
  }

  #armExpiry(): void {
    clearTimeout(this.#expiry);
    const wait = this.#validUntil - 2 * this.#margin - performance.now();
    this.#expiry = setTimeout(() => {
      if (this.#ended) return;
      this.#end();
      this.#markLost({ holder: null, why: `no renewal reached Redis for ${this.#options.ttlMs - 2 * this.#margin} ms, so it may lapse (TTL ${this.#options.ttlMs} ms) and go to another worker` });
    }, Math.max(0, wait));
  }

  /** Stops renewing and deletes the lease if it is still this worker's. Waits at most `waitMs` for Redis. */
  async release(waitMs = 2000): Promise<void> {
    this.#end();
    const { scripts, key, holder, log } = this.#options;
    let timer: NodeJS.Timeout | undefined;
    const gaveUp = new Promise<'gave-up'>((resolve) => {
      timer = setTimeout(() => resolve('gave-up'), waitMs);
    });
    try {
      await Promise.race([this.#inFlight, gaveUp]);
      const outcome = await Promise.race([scripts.release(key, holder), gaveUp]);
      if (outcome === 'gave-up') log.warn({ lease: key }, 'Redis did not answer; the GPU lease will lapse on its own');
      else if (outcome.kind === 'held-by-other') log.warn({ lease: key, holder: outcome.holder }, 'the GPU lease was already someone else\'s; left it alone');
      else log.info({ lease: key }, 'GPU lease released');
    } catch (error) {
      log.warn({ err: error, lease: key }, 'could not release the GPU lease; it will lapse on its own');
    } finally {
      clearTimeout(timer);
    }
  }

  /** Stops renewing without touching Redis (the lease was lost, or the process is going). */
  abandon(): void {
    this.#end();
  }

  #end(): void {
    this.#ended = true;
    clearInterval(this.#timer);
    clearTimeout(this.#expiry);
  }

  #renew(): void {
    if (this.#inFlight !== undefined || this.#ended) return;
    const { scripts, key, holder, ttlMs, log } = this.#options;
    const sentAt = performance.now();
    this.#inFlight = scripts
      .renew(key, holder, ttlMs)
      .then((outcome) => {
        if (this.#failing) log.info({ lease: key }, 'GPU lease renewals work again');
        this.#failing = false;
        if (this.#ended) return;
        if (outcome.kind === 'retaken') log.warn({ lease: key }, 'the GPU lease had lapsed (Redis away longer than its TTL, or flushed) and nobody had taken it; took it again');
        if (outcome.kind === 'held-by-other') {
          this.#end();
          this.#markLost({ holder: outcome.holder, why: 'a renewal found it held by another worker' });
          return;
        }
        this.#validUntil = sentAt + ttlMs;
        this.#armExpiry();
        for (const listener of this.#listeners) listener(this.#validUntil);
      })
      .catch((error: unknown) => {
        if (!this.#failing) log.warn({ err: error, lease: key }, 'could not renew the GPU lease; retrying');
        this.#failing = true;
      })
      .finally(() => {
        this.#inFlight = undefined;
      });
  }
}
