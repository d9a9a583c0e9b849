import type { Logger } from 'pino';
import type { ListConfig } from '../config.js';
import { CampaignStore } from '../campaign/campaign-store.js';
import { withRedis } from './with-redis.js';

export async function listCommand(config: ListConfig, log: Logger, out: (text: string) => void): Promise<number> {
  return withRedis(config, log, async (redis) => {
    const store = new CampaignStore(redis, config.prefix);
    const rows = [];
    for (const name of await store.listNames()) {
      const state = await store.readState(name);
      if (state === null) continue;
      rows.push({ name, status: state.status, recorded: state.recorded, budget: state.budget, failed: state.failed, bestFitness: state.bestFitness ?? null });
    }
    if (config.json) {
      out(`${JSON.stringify(rows)}\n`);
    } else if (rows.length === 0) {
      out('no campaigns\n');
    } else {
      for (const r of rows) {
        out(`${r.name.padEnd(20)} ${r.status.padEnd(9)} ${`${r.recorded}/${r.budget}`.padStart(11)}  failed ${r.failed}  best ${r.bestFitness === null ? '-' : r.bestFitness.toFixed(5)}\n`);
      }
    }
    return 0;
  });
}
