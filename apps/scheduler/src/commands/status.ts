import type { Logger } from 'pino';
import type { StatusConfig } from '../config.js';
import { CampaignStore } from '../campaign/campaign-store.js';
import { CampaignError } from '../errors.js';
import { collectStatus } from '../status/collect-status.js';
import { renderStatus } from '../status/render-status.js';
import { withRedis } from './with-redis.js';

export async function statusCommand(config: StatusConfig, log: Logger, out: (text: string) => void, isTty: boolean): Promise<number> {
  return withRedis(config, log, async (redis) => {
    const store = new CampaignStore(redis, config.prefix);
    if (config.name !== null && (await store.readConfig(config.name)) === null) {
      throw new CampaignError(`no campaign named ${config.name}; scheduler list shows the campaigns`, 2);
    }
    for (;;) {
      const view = await collectStatus(redis, store, config.name);
      const text = config.json ? `${JSON.stringify(view)}\n` : renderStatus(view);
      out(config.watch && isTty && !config.json ? `\u001b[H\u001b[2J${text}` : text);
      if (!config.watch) return 0;
      await new Promise((resolve) => setTimeout(resolve, config.watchIntervalMs));
    }
  });
}
