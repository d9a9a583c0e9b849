import type { Logger } from 'pino';
import type { LeaseScripts } from './lease-scripts.js';

export interface GpuLeaseOptions {
  scripts: LeaseScripts;
  key: string;
  holder: string;
  ttlMs: number;
  log: Logger;
}

/**
 * A GPU lease this worker has just taken: renewed every third of its TTL until released.
 * {@link lost} settles (with the other holder's id) the moment a renewal finds the lease in
 * someone else's hands; from then on this worker must not use the GPU. Redis being away is not
 * a loss: the lease cannot move while nobody can reach Redis, and the first renewal after it
 * is back tells which way it went.
 */
export class GpuLease {
  readonly key: string;
  readonly holder: string;
  readonly lost: Promise<string>;
  readonly #options: GpuLeaseOptions;
  readonly #timer: NodeJS.Timeout;
  #inFlight: Promise<void> | undefined;
  #markLost: (holder: string) => void = () => undefined;
  #ended = false;
  #failing = false;

  constructor(options: GpuLeaseOptions) {
    this.#options = options;
    this.key = options.key;
    this.holder = options.holder;
    this.lost = new Promise((resolve) => {
      this.#markLost = resolve;
    });
    this.#timer = setInterval(() => this.#renew(), Math.max(Math.floor(options.ttlMs / 3), 50));
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
  }

  #renew(): void {
    if (this.#inFlight !== undefined || this.#ended) return;
    const { scripts, key, holder, ttlMs, log } = this.#options;
    this.#inFlight = scripts
      .renew(key, holder, ttlMs)
      .then((outcome) => {
        if (this.#failing) log.info({ lease: key }, 'GPU lease renewals work again');
        this.#failing = false;
        if (this.#ended) return;
        if (outcome.kind === 'retaken') log.warn({ lease: key }, 'the GPU lease had lapsed (Redis away longer than its TTL, or flushed) and nobody had taken it; took it again');
        if (outcome.kind === 'held-by-other') {
          this.#end();
          this.#markLost(outcome.holder);
        }
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
