import { globalKeys, type CampaignState } from '@hyperevolve/contract';
import { scanKeys, type RedisClient } from '@hyperevolve/runtime';
import { CampaignError } from '../errors.js';
import type { CampaignStore } from './campaign-store.js';
import type { Queues } from './queues.js';

/** What `delete` would remove, for its question and its answer. */
export interface DeletePlan {
  name: string;
  state: CampaignState;
  /** Where its exported files are (they stay). */
  outDir: string;
}

/** Keys unlinked per command: one campaign's keys share a slot, so a batch is one command on a cluster too. */
const BATCH = 500;

/**
 * Checks that campaign `name` may be deleted: it exists, it is not running (its trials would
 * go on being bred) and no worker runs one of its trials (its result would land on nothing).
 * Throws CampaignError (exit 2) naming what to do first.
 */
export async function planDelete(store: CampaignStore, queues: Queues, name: string): Promise<DeletePlan> {
  const [config, state] = await Promise.all([store.readConfig(name), store.readState(name)]);
  if (config === null || state === null) throw new CampaignError(`no campaign named ${name}; scheduler list shows the campaigns`, 2, 404);
  if (state.status === 'running') {
    throw new CampaignError(`campaign ${name} is running; cancel it first (scheduler cancel --name ${name}), let its running trials finish, then delete it`, 2);
  }
  const active = (await queues.trials.getJobs(['active'])).filter((job) => (job.data as { campaign?: unknown } | undefined)?.campaign === name);
  if (active.length > 0) {
    const indices = active.map((job) => (job.data as { index?: unknown }).index).join(', ');
    throw new CampaignError(
      `campaign ${name} has ${active.length} trial(s) still running on workers (${indices}); wait for them to finish (scheduler status shows them), then delete it. ` +
        "A killed worker's trial counts as running until its job lock lapses (about 30 s)",
      2,
    );
  }
  return { name, state, outDir: config.outDir };
}

/**
 * Forgets a campaign: out of the campaign list first (so no scheduler looks at it again), then
 * its jobs on both queues, its trial hashes and the rest of its keys, its config last: an
 * interrupted delete leaves a campaign that still exists, and running delete again finishes
 * it. Exported files are not touched; the name is noted as deleted (until it is used again), so
 * that status does not report those files as a campaign Redis lost. Returns the number of keys removed.
 */
export async function deleteCampaign(redis: RedisClient, store: CampaignStore, queues: Queues, name: string): Promise<number> {
  // Noted before it leaves the list: status and serve must never take a deleted campaign for a lost one.
  await redis.hset(globalKeys(store.prefix).deleted, name, Date.now());
  await redis.srem(globalKeys(store.prefix).campaigns, name);
  for (const [queue, states] of [
    [queues.trials, ['waiting', 'delayed', 'prioritized', 'paused', 'failed', 'completed'] as const],
    [queues.results, ['waiting', 'delayed', 'prioritized', 'paused', 'failed', 'completed'] as const],
  ] as const) {
    for (const job of await queue.getJobs([...states])) {
      if ((job.data as { campaign?: unknown } | undefined)?.campaign !== name) continue;
      // Taken by a worker or a recorder meanwhile: a worker checks the campaign before it runs, a recorder drops a result of an unknown campaign.
      await job.remove().catch(() => undefined);
    }
  }
  const keys = store.keys(name);
  const last = [keys.state, keys.config];
  const rest = (await scanKeys(redis, `${store.prefix}:c:{${name}}:*`)).filter((key) => !last.includes(key));
  for (let start = 0; start < rest.length; start += BATCH) await redis.unlink(...rest.slice(start, start + BATCH));
  await redis.unlink(...last);
  return rest.length + last.length;
}
