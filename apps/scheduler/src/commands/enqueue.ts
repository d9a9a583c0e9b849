import { randomInt } from 'node:crypto';
import type { Logger } from 'pino';
import type { CampaignConfig } from '@hyperevolve/contract';
import { trainerProfile } from '@hyperevolve/ga-core';
import { ConfigError } from '@hyperevolve/runtime';
import type { EnqueueConfig } from '../config.js';
import { buildSettings, readText } from '../campaign/build-settings.js';
import { describePruning } from '../campaign/choose-pruning.js';
import { describeTrainerParams } from '../campaign/choose-trainer.js';
import { CampaignStore } from '../campaign/campaign-store.js';
import { createCampaign } from '../campaign/create-campaign.js';
import { importPopulation, type ImportedTrial } from '../campaign/import-population.js';
import { settingsDiff } from '../campaign/settings-diff.js';
import { campaignExportDir } from '../exports/campaign-export.js';
import { checkOutDir } from '../exports/check-out-dir.js';
import { keepSurvivingExports } from '../exports/surviving-exports.js';
import { extendBudget } from '../redis/scripts.js';
import { aliveSchedulers } from '../serve/presence.js';
import { withRedis } from './with-redis.js';

export async function enqueueCommand(config: EnqueueConfig, log: Logger, out: (line: string) => void): Promise<number> {
  const { settings, seed, warnings, notes, trainer } = await buildSettings(config);
  await checkOutDir(settings.outDir, settings.name);
  let imported: ImportedTrial[] = [];
  if (config.seedFrom !== null) {
    const scoring = { profile: trainerProfile(settings.adapter), weights: settings.fitnessWeights };
    imported = importPopulation(await readText(config.seedFrom, '--seed-from'), config.seedFrom, settings.baseHyp, scoring);
  }

  return withRedis(config, log, async (redis) => {
    const store = new CampaignStore(redis, config.prefix);
    const existing = await store.readConfig(config.name);
    let campaign: CampaignConfig;
    if (existing === null) {
      campaign = { ...settings, seed: seed ?? randomInt(0, 2 ** 31), version: 1, createdAt: Date.now(), importedRows: imported.length };
      const deleted = (await store.deletedNames()).has(campaign.name);
      const moved = await keepSurvivingExports({ name: campaign.name, outDir: campaign.outDir, dir: campaignExportDir(campaign), deleted, seedFrom: config.seedFrom });
      const created = await createCampaign(redis, store, campaign, config.generations, imported);
      if (created === 'created') {
        out(`created campaign ${campaign.name}: ${config.generations} generations, seed ${campaign.seed}` + (imported.length > 0 ? `, ${importedSummary(imported)} from ${config.seedFrom}` : ''));
        if (moved !== undefined) out(`note: ${moved}`);
        out(keepSummary(campaign));
        for (const line of [...describeTrainerParams(trainer), ...describePruning(campaign.pruning, config.pruning, trainer.profile.epochCount(campaign.command))]) out(line);
        // Once, with the campaign they are about: not when it fails, nor on every later enqueue.
        if (!config.quiet) for (const warning of warnings) out(`warning: ${warning}`);
        if (!config.quiet) for (const note of notes) out(`note: ${note}`);
      } else {
        return enqueueCommand(config, log, out);
      }
    } else {
      if (config.seedFrom !== null) {
        throw new ConfigError(`--seed-from: campaign ${config.name} exists already; a population can only be imported when a campaign is created (use a new --name)`);
      }
      const diff = settingsDiff(existing, settings, seed);
      if (diff.length > 0) {
        throw new ConfigError(
          `campaign ${config.name} exists with other settings:\n  ${diff.join('\n  ')}\n` +
            'Enqueue with the same settings to add generations, or choose another --name for a new campaign.',
        );
      }
      const extended = await extendBudget(redis, store.keys(config.name), config.generations);
      if (!extended.ok) {
        throw new ConfigError(`campaign ${config.name} is ${extended.reason}; it cannot take more generations. Use another --name.`);
      }
      campaign = existing;
      out(`campaign ${config.name}: budget now ${extended.budget} generations (${extended.status})`);
    }
    out(`files: ${campaignExportDir(campaign)}/${trainerProfile(campaign.adapter).exports.filter((file) => file !== 'evolve.png').join(', ')}`);
    if ((await aliveSchedulers(redis, config.prefix)).length === 0) {
      out('note: no `scheduler serve` is running against this Redis, so nothing will be scheduled until one starts: scheduler serve');
    }
    return 0;
  });
}

/** "12 trials imported", and how many of them have no fitness (rows, but never parents). */
function importedSummary(imported: readonly ImportedTrial[]): string {
  const without = imported.filter((trial) => !Number.isFinite(trial.fitness)).length;
  return `${imported.length} trials imported` + (without > 0 ? ` (${without} without a fitness: kept as failed rows, never parents)` : '');
}

/** What the campaign's trials keep on the workers' disks (--keep-artifacts), said once at creation: the workers delete files. */
function keepSummary(campaign: CampaignConfig): string {
  const keep = campaign.keepArtifacts;
  switch (keep.mode) {
    case 'all':
      return 'keep-artifacts all: every trial keeps all it writes, weights and plots (scheduler status shows the disk used)';
    case 'none':
      return "keep-artifacts none: trials do not plot, and each trial's worker deletes its weights and large files once its result is recorded";
    case 'best':
      return `keep-artifacts best:${keep.top}: trials do not plot, and the workers delete the weights and large files of every trial but the ${keep.top} fittest (--keep-artifacts all keeps everything)`;
  }
}
