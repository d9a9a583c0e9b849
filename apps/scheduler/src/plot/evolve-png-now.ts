import type { CampaignStore } from '../campaign/campaign-store.js';
import type { ExtraFile } from '../exports/campaign-export.js';
import { evolvePanels, evolvedHyps } from './evolve-panels.js';
import { PopulationPoints } from './population-points.js';
import { renderEvolvePng } from './render-evolve-png.js';
import type { RedisClient } from '@hyperevolve/runtime';

/**
 * evolve.png drawn at once from every recorded row, for one-shot exports (`scheduler export`);
 * `scheduler serve` uses the throttled EvolvePngFile instead. No file before the first row.
 */
export function evolvePngNow(redis: RedisClient, store: CampaignStore): ExtraFile {
  const points = new PopulationPoints(redis, store);
  return {
    name: 'evolve.png',
    render: async (config) => {
      const rows = await points.read(config.name);
      if (!rows.some((r) => Number.isFinite(r.fitness))) return null;
      return (await renderEvolvePng(evolvePanels(evolvedHyps(Object.keys(config.baseHyp), config.space), rows))).png;
    },
  };
}
