import type { Redis } from 'ioredis';
import type { CampaignStore } from '../campaign/campaign-store.js';
import { aliveSchedulers } from '../serve/presence.js';
import { readCampaignView } from './read-campaign-view.js';
import { readWorkerViews } from './read-worker-views.js';
import type { CampaignView, StatusView } from './status-view.js';

export type { CampaignView, FailureView, StatusView, WorkerView } from './status-view.js';

/** Everything `status` shows, as a stable JSON-able object (the `--json` output). */
export async function collectStatus(redis: Redis, store: CampaignStore, only: string | null, now = Date.now()): Promise<StatusView> {
  const names = only === null ? await store.listNames() : [only];
  const campaigns = (await Promise.all(names.map((name) => readCampaignView(redis, store, name, now)))).filter((c): c is CampaignView => c !== null);
  const [schedulers, workers] = await Promise.all([aliveSchedulers(redis, store.prefix), readWorkerViews(redis, store.prefix, now)]);
  return { v: 1, at: now, schedulers, campaigns, workers };
}
