import type { Logger } from 'pino';
import { trainerProfile } from '@hyperevolve/ga-core';
import type { BestConfig } from '../config.js';
import { CampaignStore } from '../campaign/campaign-store.js';
import { campaignNameOrOnly } from '../campaign/only-campaign.js';
import { CampaignError } from '../errors.js';
import { readEvolveRows, readTrialRow, renderHypEvolve } from '../exports/evolve-snapshot.js';
import { renderBestHyperparameters } from '../exports/ultralytics-files.js';
import { withRedis } from './with-redis.js';

/** Prints the campaign's best file (its trainer profile's bestFile) for the best trial, straight from Redis. */
export async function bestCommand(config: BestConfig, log: Logger, out: (text: string) => void): Promise<number> {
  return withRedis(config, log, async (redis) => {
    const store = new CampaignStore(redis, config.prefix);
    const name = await campaignNameOrOnly(store, config.name, 'best');
    const [campaign, state] = await Promise.all([store.readConfig(name), store.readState(name)]);
    if (campaign === null || state === null) throw new CampaignError(`no campaign named ${name}; scheduler list shows the campaigns`, 2, 404);
    if (state.bestTrial === undefined) throw new CampaignError(`campaign ${name} has no finished trial yet; check scheduler status`, 1);
    const indices = await store.readRowIndices(name);
    const position = indices.indexOf(state.bestTrial);
    if (position < 0) {
      const { indices: fresh } = await readEvolveRows(store, campaign, 0);
      throw new CampaignError(`best trial ${state.bestTrial} is not among the ${fresh.length} recorded rows; the campaign data is inconsistent`, 1);
    }
    const best = await readTrialRow(store, campaign, state.bestTrial);
    const text =
      trainerProfile(campaign.adapter).bestFile === 'best_hyperparameters.yaml'
        ? renderBestHyperparameters(campaign, best, state.bestTrial, position, indices.length)
        : renderHypEvolve(campaign, best, position, indices.length);
    out(text);
    return 0;
  });
}
