import { join } from 'node:path';
import type { Logger } from 'pino';
import type { CampaignStore } from '../campaign/campaign-store.js';
import { campaignExportDir } from '../exports/campaign-export.js';
import { countRows, restoreAdvice } from '../exports/orphaned-exports.js';

/**
 * Notices a campaign that vanished from Redis while serve ran (Redis restarted without its
 * append-only file, flushed, a key evicted) and says so, with how to carry on from its files
 * where they are on disk: until then only "result … dropped" lines told of it. A name that goes
 * away was lost unless `scheduler delete` noted it as deleted.
 */
export class CampaignLossWatch {
  readonly #store: CampaignStore;
  readonly #log: Logger;
  /** Campaigns seen in Redis, with their export directories. */
  readonly #seen = new Map<string, string>();
  readonly #reported = new Set<string>();

  constructor(store: CampaignStore, log: Logger) {
    this.#store = store;
    this.#log = log;
  }

  /**
   * A campaign whose files were just written from Redis: it is watched from now, even when it
   * lived and ended between two checks (a short campaign, Redis lost right after).
   */
  saw(name: string, dir: string): void {
    this.#seen.set(name, dir);
    this.#reported.delete(name);
  }

  async check(): Promise<void> {
    // Only a campaign known before the listing can be missing from it: one that saw() adds
    // meanwhile may have been made after it.
    const known = [...this.#seen.keys()];
    const names = new Set(await this.#store.listNames());
    for (const name of names) {
      // A campaign's export directory does not change; read it again only when it comes back.
      if (this.#seen.has(name) && !this.#reported.has(name)) continue;
      const config = await this.#store.readConfig(name).catch(() => null);
      if (config === null) continue;
      this.#seen.set(name, campaignExportDir(config));
      this.#reported.delete(name);
    }
    const gone = known.filter((name) => !names.has(name) && !this.#reported.has(name));
    const deleted = gone.length === 0 ? new Set<string>() : await this.#store.deletedNames();
    for (const name of gone) {
      const dir = this.#seen.get(name);
      if (dir === undefined || this.#reported.has(name)) continue;
      if (deleted.has(name)) {
        // scheduler delete removed it: nothing was lost.
        this.#seen.delete(name);
        continue;
      }
      const path = join(dir, 'evolve.csv');
      const rows = await countRows(path);
      this.#reported.add(name);
      if (rows === null || rows === 0) {
        this.#log.error({ campaign: name, path }, `campaign ${name} is no longer in Redis and has no rows in ${path}: Redis lost it (restarted without its append-only file, flushed, or evicted); enqueue it again to start over`);
      } else {
        this.#log.error({ campaign: name, path, rows }, restoreAdvice({ name, path, rows }));
      }
    }
  }
}
