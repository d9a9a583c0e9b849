import type { Logger } from 'pino';
import type { CampaignVerbConfig } from '../config.js';
import { CampaignStore } from '../campaign/campaign-store.js';
import { controlCampaign } from '../campaign/control-campaign.js';
import { openQueues } from '../campaign/queues.js';
import { withRedis } from './with-redis.js';

/** pause | resume | cancel. */
export async function controlCommand(config: CampaignVerbConfig & { verb: 'pause' | 'resume' | 'cancel' }, log: Logger, out: (text: string) => void): Promise<number> {
  return withRedis(config, log, async (redis) => {
    const queues = openQueues(redis, config.prefix);
    try {
      const outcome = await controlCampaign(redis, new CampaignStore(redis, config.prefix), queues, config.name, config.verb);
      out(`${outcome.message}\n`);
    } finally {
      await queues.close();
    }
    return 0;
  });
}
