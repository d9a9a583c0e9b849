import { access, constants, mkdir } from 'node:fs/promises';
import type { Logger } from 'pino';
import type { ExportConfig } from '../config.js';
import { CampaignStore } from '../campaign/campaign-store.js';
import { campaignNameOrOnly } from '../campaign/only-campaign.js';
import { CampaignError } from '../errors.js';
import { campaignExportDir, exportCampaign } from '../exports/campaign-export.js';
import { evolvePngNow } from '../plot/evolve-png-now.js';
import { withRedis } from './with-redis.js';

export async function exportCommand(config: ExportConfig, log: Logger, out: (text: string) => void): Promise<number> {
  return withRedis(config, log, async (redis) => {
    const store = new CampaignStore(redis, config.prefix);
    const name = await campaignNameOrOnly(store, config.name, 'export');
    const campaign = await store.readConfig(name);
    if (campaign === null) throw new CampaignError(`no campaign named ${name}; scheduler list shows the campaigns`, 2, 404);
    // <out>/<name>, as enqueue's --out: by default the campaign's own directory.
    const outDir = config.outDir ?? campaign.outDir;
    const dir = campaignExportDir({ outDir, name });
    await ensureWritableDir(outDir, dir);
    const result = await exportCampaign(store, name, dir, undefined, [evolvePngNow(redis, store)]);
    if (result === null) throw new CampaignError(`no campaign named ${name}; scheduler list shows the campaigns`, 2, 404);
    const others = result.written.filter((file) => file !== 'evolve.csv').map((file) => `${result.dir}/${file}`);
    out(`wrote ${result.dir}/evolve.csv (${result.rows} rows)${others.length > 0 ? `, ${others.slice(0, -1).join(', ')}${others.length > 1 ? ' and ' : ''}${others.at(-1) ?? ''}` : ''}\n`);
    return 0;
  });
}

/** A bad --out is the user's to fix: say so before anything is written, not with a stack trace halfway. */
async function ensureWritableDir(outDir: string, dir: string): Promise<void> {
  try {
    await mkdir(dir, { recursive: true });
    await access(dir, constants.W_OK);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new CampaignError(`--out ${outDir}: cannot write there (${reason}); choose a directory you may write to, e.g. --out runs/exported`, 2);
  }
}
