import type { Logger } from 'pino';
import { HypSchema, trialJobId } from '@hyperevolve/contract';
import type { CampaignVerbConfig } from '../config.js';
import { CampaignStore } from '../campaign/campaign-store.js';
import { addTrialJob, openQueues } from '../campaign/queues.js';
import { removeQueuedJobs } from '../campaign/remove-queued-jobs.js';
import { CampaignError } from '../errors.js';
import { setCampaignStatus } from '../redis/scripts.js';
import { withRedis } from './with-redis.js';

/** pause | resume | cancel. */
export async function controlCommand(config: CampaignVerbConfig & { verb: 'pause' | 'resume' | 'cancel' }, log: Logger, out: (text: string) => void): Promise<number> {
  return withRedis(config, log, async (redis) => {
    const store = new CampaignStore(redis, config.prefix);
    const campaign = await store.readConfig(config.name);
    if (campaign === null) throw new CampaignError(`no campaign named ${config.name}; scheduler list shows the campaigns`, 2);
    const changed = await setCampaignStatus(redis, config.prefix, config.name, config.verb, config.verb === 'pause' ? 'paused by the user (scheduler pause)' : '');
    if (!changed.ok) throw new CampaignError(`campaign ${config.name} is ${changed.previous ?? 'missing'}; it cannot be ${config.verb}d from there`, 1);
    const queues = openQueues(redis, config.prefix);
    try {
      if (config.verb === 'resume') {
        const keys = store.keys(config.name);
        for (const index of (await redis.smembers(keys.inflight)).map(Number)) {
          if ((await queues.trials.getJobState(trialJobId(config.name, index))) !== 'unknown') continue;
          const hyp = HypSchema.safeParse(JSON.parse((await redis.hget(keys.trial(index), 'hyp')) ?? 'null'));
          if (hyp.success) await addTrialJob(queues, campaign, index, hyp.data);
        }
        out(`campaign ${config.name} resumed\n`);
      } else {
        const removed = await removeQueuedJobs(queues, config.name);
        out(`campaign ${config.name} ${config.verb === 'pause' ? 'paused' : 'cancelled'}; ${removed} queued trial(s) taken off the queue, running ones finish\n`);
      }
    } finally {
      await queues.close();
    }
    return 0;
  });
}
