import { CorruptStateError, trialJobId } from '@hyperevolve/contract';
import { CampaignError } from '../errors.js';
import { setCampaignStatus, type StatusAction } from '../redis/scripts.js';
import type { CampaignStore } from './campaign-store.js';
import { addTrialJob, type Queues } from './queues.js';
import { removeQueuedJobs } from './remove-queued-jobs.js';
import type { RedisClient } from '@hyperevolve/runtime';

export interface ControlOutcome {
  campaign: string;
  action: StatusAction;
  /** Queued trials taken off the queue (pause, cancel) or put back on it (resume). */
  jobs: number;
  message: string;
}

/** The status each action leads to. */
const REACHED: Record<StatusAction, string> = { pause: 'paused', resume: 'running', cancel: 'cancelled' };
const DONE: Record<StatusAction, string> = { pause: 'paused', resume: 'resumed', cancel: 'cancelled' };

/**
 * pause | resume | cancel of one campaign, shared by the CLI verbs and the dashboard.
 * Throws CampaignError (exit 2: unknown campaign; exit 1: not allowed from its status).
 * @param reason shown by `status` while paused.
 */
export async function controlCampaign(
  redis: RedisClient,
  store: CampaignStore,
  queues: Queues,
  name: string,
  action: StatusAction,
  reason = action === 'pause' ? 'paused by the user (scheduler pause)' : '',
): Promise<ControlOutcome> {
  const campaign = await store.readConfig(name);
  if (campaign === null) throw new CampaignError(`no campaign named ${name}; scheduler list shows the campaigns`, 2, 404);
  const changed = await setCampaignStatus(redis, store.prefix, name, action, reason);
  if (!changed.ok) {
    // Asking twice is not an error: the campaign is already where it was asked to go.
    if (changed.previous === REACHED[action]) return { campaign: name, action, jobs: 0, message: `campaign ${name} is already ${REACHED[action]}; nothing to do` };
    throw new CampaignError(`campaign ${name} is ${changed.previous ?? 'missing'}; it cannot be ${DONE[action]} from there`, 2);
  }
  if (action === 'resume') {
    const keys = store.keys(name);
    let requeued = 0;
    for (const index of (await redis.smembers(keys.inflight)).map(Number)) {
      if ((await queues.trials.getJobState(trialJobId(name, index))) !== 'unknown') continue;
      let trial;
      try {
        [trial = { index, hyp: {} }] = await store.trials.readRequeued(name, [index]);
      } catch (error) {
        // A damaged hyp is left to the reconciler, which records that trial failed and says why.
        if (error instanceof CorruptStateError) continue;
        throw error;
      }
      await addTrialJob(queues, campaign, trial);
      requeued += 1;
    }
    return { campaign: name, action, jobs: requeued, message: `campaign ${name} resumed` };
  }
  const removed = await removeQueuedJobs(queues, name);
  const verb = action === 'pause' ? 'paused' : 'cancelled';
  return { campaign: name, action, jobs: removed, message: `campaign ${name} ${verb}; ${removed} queued trial(s) taken off the queue, running ones finish` };
}
