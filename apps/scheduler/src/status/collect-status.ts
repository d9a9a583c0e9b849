import type { CampaignStore } from '../campaign/campaign-store.js';
import { aliveSchedulers } from '../serve/presence.js';
import { readCampaignView } from './read-campaign-view.js';
import { readWorkerViews } from './read-worker-views.js';
import { withRunningEpochs } from './running-epochs.js';
import { campaignWithWorkers } from './running-from-workers.js';
import { CorruptStateError } from '../errors.js';
import type { CampaignView, StatusView, UnreadableView } from './status-view.js';
import { readRedisRisks, type RedisClient } from '@hyperevolve/runtime';
import { findOrphanedExports } from '../exports/orphaned-exports.js';

export type { CampaignView, FailureView, StatusView, UnreadableView, WorkerView } from './status-view.js';

/**
 * Everything `status` shows, as a stable JSON-able object (the `--json` output).
 * @param exportDirs where to look for the files of campaigns Redis does not have (status's --out),
 *   besides the export directories of the campaigns it has; empty: no look at the disk.
 */
export async function collectStatus(redis: RedisClient, store: CampaignStore, only: string | null, now = Date.now(), exportDirs: readonly string[] = []): Promise<StatusView> {
  const names = only === null ? await store.listNames() : [only];
  // A campaign whose keys are damaged is listed with what is wrong; it does not hide the others.
  const unreadable: UnreadableView[] = [];
  const views = await Promise.all(names.map(async (name) => {
    try {
      return await readCampaignView(store, name, now);
    } catch (error) {
      if (!(error instanceof CorruptStateError)) throw error;
      unreadable.push({ name, problem: error.message });
      return null;
    }
  }));
  const [schedulers, workers] = await Promise.all([aliveSchedulers(redis, store.prefix), readWorkerViews(redis, store.prefix, now)]);
  const read = views.filter((c): c is CampaignView => c !== null);
  const configs = await Promise.all(read.map((c) => store.readConfig(c.name).catch(() => null)));
  const campaigns = read.map((c, i) => campaignWithWorkers(c, configs[i]?.command ?? null, workers));
  // INFO refused (a managed Redis, an ACL): nothing known, nothing said.
  const redisRisks = await readRedisRisks(redis).catch(() => []);
  const orphanedExports = exportDirs.length === 0 ? [] : await lostCampaigns(store, only, [...exportDirs, ...configs.flatMap((config) => (config === null ? [] : [config.outDir]))]);
  const byName = new Map(configs.flatMap((config) => (config === null ? [] : [[config.name, config] as const])));
  return { v: 1, at: now, schedulers, campaigns, unreadable, workers: await withRunningEpochs(workers, store.trials, byName), redisRisks, orphanedExports };
}

/** evolve.csv files of campaigns Redis does not have, in `dirs` (only `only`'s when given). */
async function lostCampaigns(store: CampaignStore, only: string | null, dirs: readonly string[]): Promise<StatusView['orphanedExports']> {
  const [names, deleted] = await Promise.all([store.listNames(), store.deletedNames()]);
  const found = await findOrphanedExports(dirs, new Set([...names, ...deleted]));
  return only === null ? found : found.filter((lost) => lost.name === only);
}
