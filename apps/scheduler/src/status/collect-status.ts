import type { CampaignStore } from '../campaign/campaign-store.js';
import { aliveSchedulers } from '../serve/presence.js';
import { readCampaignView } from './read-campaign-view.js';
import { readWorkerViews } from './read-worker-views.js';
import { campaignWithWorkers } from './running-from-workers.js';
import { CorruptStateError } from '../errors.js';
import type { CampaignView, StatusView, UnreadableView } from './status-view.js';
import type { RedisClient } from '@hyperevolve/runtime';

export type { CampaignView, FailureView, StatusView, UnreadableView, WorkerView } from './status-view.js';

/** Everything `status` shows, as a stable JSON-able object (the `--json` output). */
export async function collectStatus(redis: RedisClient, store: CampaignStore, only: string | null, now = Date.now()): Promise<StatusView> {
  const names = only === null ? await store.listNames() : [only];
  // A campaign whose keys are damaged is listed with what is wrong; it does not hide the others.
  const unreadable: UnreadableView[] = [];
  const views = await Promise.all(names.map(async (name) => {
    try {
      return await readCampaignView(redis, store, name, now);
    } catch (error) {
      if (!(error instanceof CorruptStateError)) throw error;
      unreadable.push({ name, problem: error.message });
      return null;
    }
  }));
  const [schedulers, workers] = await Promise.all([aliveSchedulers(redis, store.prefix), readWorkerViews(redis, store.prefix, now)]);
  const read = views.filter((c): c is CampaignView => c !== null);
  const commands = await Promise.all(read.map(async (c) => (await store.readConfig(c.name).catch(() => null))?.command ?? null));
  const campaigns = read.map((c, i) => campaignWithWorkers(c, commands[i] ?? null, workers));
  return { v: 1, at: now, schedulers, campaigns, unreadable, workers };
}
