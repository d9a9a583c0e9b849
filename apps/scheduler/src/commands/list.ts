import type { Logger } from 'pino';
import type { ListConfig } from '../config.js';
import { CampaignStore } from '../campaign/campaign-store.js';
import { CorruptStateError } from '../errors.js';
import { withRedis } from './with-redis.js';

export async function listCommand(config: ListConfig, log: Logger, out: (text: string) => void): Promise<number> {
  return withRedis(config, log, async (redis) => {
    const store = new CampaignStore(redis, config.prefix);
    const rows = [];
    const unreadable: { name: string; problem: string }[] = [];
    for (const name of await store.listNames()) {
      let state: Awaited<ReturnType<CampaignStore['readState']>>;
      try {
        state = await store.readState(name);
      } catch (error) {
        if (!(error instanceof CorruptStateError)) throw error;
        unreadable.push({ name, problem: error.message });
        continue;
      }
      if (state === null) continue;
      rows.push({ name, status: state.status, recorded: state.recorded, budget: state.budget, failed: state.failed, bestFitness: state.bestFitness ?? null });
    }
    if (config.json) {
      out(`${JSON.stringify([...rows, ...unreadable.map((u) => ({ ...u, status: 'unreadable' }))])}\n`);
    } else if (rows.length === 0 && unreadable.length === 0) {
      out('no campaigns\n');
    } else {
      for (const r of rows) {
        out(`${r.name.padEnd(20)} ${r.status.padEnd(9)} ${`${r.recorded}/${r.budget}`.padStart(11)}  failed ${r.failed}  best ${r.bestFitness === null ? '-' : r.bestFitness.toFixed(5)}\n`);
      }
      for (const u of unreadable) out(`${u.name.padEnd(20)} unreadable: ${u.problem}\n`);
    }
    return 0;
  });
}
