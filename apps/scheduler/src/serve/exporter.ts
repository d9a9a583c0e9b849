import { randomBytes } from 'node:crypto';
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from 'pino';
import type { CampaignStore } from '../campaign/campaign-store.js';
import { removeStaleTempFiles } from '../exports/atomic-write.js';
import { campaignExportDir, exportCampaign, type ExtraFile, type RowCache } from '../exports/campaign-export.js';
import { extendLock, releaseLock } from '../redis/scripts.js';
import { reportCorruptState } from './corrupt-state-report.js';
import type { RedisClient } from '@hyperevolve/runtime';

/** Short, so a killed scheduler's lock lapses quickly; renewed while a long export runs. */
const LOCK_TTL_MS = 5_000;
const LOCK_RETRY_MS = 200;
/** The longest wait between two tries of a campaign whose files cannot be written. */
const MAX_RETRY_MS = 60_000;
/** Writes take at most about this share of the time: a big evolve.csv is rewritten less often. */
const MAX_WRITE_SHARE = 0.1;

/**
 * The one writer of a campaign's files. Results mark a campaign dirty; writes coalesce (at
 * most one per `intervalMs`, or per 10 times the last write's duration when that is longer:
 * a million-row evolve.csv is ~700 MB), and a Redis lock makes scheduler replicas take turns.
 * Each writer reads Redis after taking the lock, so the last write is always the freshest.
 */
export class Exporter {
  readonly #redis: RedisClient;
  readonly #store: CampaignStore;
  readonly #log: Logger;
  readonly #intervalMs: number;
  readonly #extras: readonly ExtraFile[];
  readonly #onWritten: (name: string, dir: string) => void;
  readonly #dirty = new Set<string>();
  /** The campaign whose files are being written now. */
  #writing: string | null = null;
  /** Campaigns whose files could not be written: retried with a growing delay, not every tick. */
  readonly #failures = new Map<string, { count: number; retryAt: number }>();
  readonly #caches = new Map<string, RowCache>();
  readonly #token = randomBytes(8).toString('hex');
  #timer: NodeJS.Timeout | null = null;
  #flushing: Promise<void> | null = null;
  #lastFlush = 0;
  /** Time the last flush spent writing files (not waiting for the lock). */
  #lastWriteMs = 0;
  #closed = false;

  constructor(options: {
    redis: RedisClient;
    store: CampaignStore;
    log: Logger;
    intervalMs: number;
    extras?: readonly ExtraFile[];
    /** Called after a campaign's files were written, with their directory. */
    onWritten?: (name: string, dir: string) => void;
  }) {
    this.#redis = options.redis;
    this.#store = options.store;
    this.#log = options.log;
    this.#intervalMs = options.intervalMs;
    this.#extras = options.extras ?? [];
    this.#onWritten = options.onWritten ?? (() => undefined);
  }

  /** Campaigns whose files lag behind Redis (waiting or being written). */
  pending(): string[] {
    return [...new Set([...(this.#writing === null ? [] : [this.#writing]), ...this.#dirty])];
  }

  markDirty(name: string): void {
    this.#dirty.add(name);
    this.#schedule(0);
  }

  /** Exports every campaign whose files lag behind Redis (after a restart, say). */
  async catchUp(): Promise<void> {
    for (const name of await this.#store.listNames()) {
      try {
        const [state, config] = await Promise.all([this.#store.readState(name), this.#store.readConfig(name)]);
        if (state === null || config === null) continue;
        const dir = campaignExportDir(config);
        await removeStaleTempFiles(dir);
        const rows = await this.#redis.llen(this.#store.keys(name).rows);
        if (state.exportedRows < rows || rows === 0 || (await this.#extrasLag(dir))) this.markDirty(name);
      } catch (error) {
        // One damaged campaign must not keep `serve` from starting for all the others.
        if (!reportCorruptState(this.#log, error, `campaign ${name}'s files are not written`)) throw error;
      }
    }
  }

  /**
   * An extra file (evolve.png) missing or older than evolve.csv: a scheduler stopped before it
   * wrote the last picture, which is drawn after the rows are written.
   */
  async #extrasLag(dir: string): Promise<boolean> {
    const csv = await stat(join(dir, 'evolve.csv')).catch(() => null);
    if (csv === null) return false;
    for (const extra of this.#extras) {
      const file = await stat(join(dir, extra.name)).catch(() => null);
      if (file === null || file.mtimeMs < csv.mtimeMs) return true;
    }
    return false;
  }

  /** Writes what is pending and stops. */
  async close(): Promise<void> {
    this.#closed = true;
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#timer = null;
    if (this.#flushing !== null) await this.#flushing;
    if (this.#dirty.size > 0) await this.#flush();
  }

  #schedule(extraDelay: number): void {
    if (this.#closed || this.#timer !== null || this.#flushing !== null) return;
    const gap = Math.max(this.#intervalMs, this.#lastWriteMs / MAX_WRITE_SHARE);
    const wait = Math.max(extraDelay, this.#lastFlush + gap - Date.now(), 0);
    this.#timer = setTimeout(() => {
      this.#timer = null;
      this.#flushing = this.#flush().finally(() => {
        this.#flushing = null;
        if (this.#dirty.size > 0) this.#schedule(this.#nextDueMs());
      });
    }, wait);
  }

  async #flush(): Promise<void> {
    this.#lastFlush = Date.now();
    this.#lastWriteMs = 0;
    const now = Date.now();
    // A campaign whose files failed waits for its retry (the closing flush tries them all once more).
    const names = [...this.#dirty].filter((name) => this.#closed || (this.#failures.get(name)?.retryAt ?? 0) <= now);
    for (const name of names) this.#dirty.delete(name);
    for (const name of names) {
      this.#writing = name;
      try {
        const done = await this.#exportLocked(name);
        if (!done) {
          this.#dirty.add(name);
          await new Promise((resolve) => setTimeout(resolve, LOCK_RETRY_MS));
        } else if (this.#failures.delete(name)) {
          this.#log.info({ campaign: name }, `campaign ${name}'s files are written again`);
          await this.#redis.hdel(this.#store.keys(name).state, 'exportError', 'exportErrorAt').catch(() => undefined);
        }
      } catch (error) {
        // Damaged data is not retried on every tick: the next result recorded marks it again.
        if (reportCorruptState(this.#log, error, `campaign ${name}'s files are not written`)) continue;
        this.#caches.delete(name);
        this.#dirty.add(name);
        await this.#failed(name, error);
      }
    }
    this.#writing = null;
  }

  /** Notes a failed write: a growing delay before the next try, and the reason in the campaign's state (status, dashboard). */
  async #failed(name: string, error: unknown): Promise<void> {
    const count = (this.#failures.get(name)?.count ?? 0) + 1;
    const delayMs = Math.min(Math.max(this.#intervalMs, 500) * 2 ** (count - 1), MAX_RETRY_MS);
    this.#failures.set(name, { count, retryAt: Date.now() + delayMs });
    const reason = error instanceof Error ? error.message : String(error);
    this.#log.error({ err: error, campaign: name, failures: count, retryInMs: delayMs },
      `writing campaign ${name}'s evolve.csv / hyp_evolve.yaml failed (${count} in a row); retrying in ${Math.round(delayMs / 1000)} s. Fix the export directory (the campaign's --out) or the disk`);
    const keys = this.#store.keys(name);
    const fields: Record<string, string | number> = { exportError: `${reason}; serve retries (${count} failed so far, next in ${Math.round(delayMs / 1000)} s)` };
    if (count === 1) fields.exportErrorAt = Date.now();
    await this.#redis.hset(keys.state, fields).catch(() => undefined);
  }

  /** Until the first dirty campaign may be written: now, or the earliest retry of failed ones. */
  #nextDueMs(): number {
    const now = Date.now();
    let due = Number.POSITIVE_INFINITY;
    for (const name of this.#dirty) due = Math.min(due, Math.max(0, (this.#failures.get(name)?.retryAt ?? now) - now));
    return Number.isFinite(due) ? due : 0;
  }

  async #exportLocked(name: string): Promise<boolean> {
    const keys = this.#store.keys(name);
    const locked = await this.#redis.set(keys.exportLock, this.#token, 'PX', LOCK_TTL_MS, 'NX');
    if (locked !== 'OK') return false;
    const renew = setInterval(() => {
      extendLock(this.#redis, keys.exportLock, this.#token, LOCK_TTL_MS).catch(() => undefined);
    }, LOCK_TTL_MS / 3);
    try {
      const config = await this.#store.readConfig(name);
      if (config === null) return true;
      let cache = this.#caches.get(name);
      if (cache === undefined) {
        cache = { indices: [], lines: [] };
        this.#caches.set(name, cache);
      }
      const started = Date.now();
      const result = await exportCampaign(this.#store, name, campaignExportDir(config), cache, this.#extras);
      this.#lastWriteMs += Date.now() - started;
      if (result !== null) {
        await this.#redis.hset(keys.state, 'exportedRows', result.rows);
        this.#log.debug({ campaign: name, rows: result.rows, dir: result.dir }, 'exported');
        this.#onWritten(name, result.dir);
      }
      return true;
    } finally {
      clearInterval(renew);
      await releaseLock(this.#redis, keys.exportLock, this.#token);
    }
  }
}
