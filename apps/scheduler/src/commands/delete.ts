import type { Logger } from 'pino';
import { CampaignStore } from '../campaign/campaign-store.js';
import { deleteCampaign, planDelete } from '../campaign/delete-campaign.js';
import { openQueues } from '../campaign/queues.js';
import type { DeleteConfig } from '../config.js';
import { CampaignError } from '../errors.js';
import { withRedis } from './with-redis.js';

/** Asks a yes/no question on the terminal; null when stdin is not one (nobody to ask). */
export type Confirm = ((question: string) => Promise<boolean>) | null;

/** `scheduler delete --name C [--yes]`: forgets the campaign (asking first), keeps its files. */
export async function deleteCommand(config: DeleteConfig, log: Logger, out: (text: string) => void, confirm: Confirm): Promise<number> {
  return withRedis(config, log, async (redis) => {
    const store = new CampaignStore(redis, config.prefix);
    const queues = openQueues(redis, config.prefix);
    try {
      const plan = await planDelete(store, queues, config.name);
      const files = `${plan.outDir}/${plan.name}`;
      if (!config.yes) {
        if (confirm === null) throw new CampaignError(`scheduler delete: stdin is not a terminal, so there is nobody to ask; add --yes to delete campaign ${plan.name}`, 2);
        const what = `${plan.state.status}, ${plan.state.recorded} of ${plan.state.budget} trials recorded`;
        if (!(await confirm(`Delete campaign ${plan.name} (${what}) from Redis? Its files in ${files} stay. [y/N] `))) {
          out(`campaign ${plan.name} kept\n`);
          return 1;
        }
      }
      await deleteCampaign(redis, store, queues, plan.name);
      out(`campaign ${plan.name} deleted; its files in ${files} stay, and the name ${plan.name} is free for scheduler enqueue (a new campaign of that name moves them into a subdirectory, deleted-<time>)\n`);
      return 0;
    } finally {
      await queues.close();
    }
  });
}
