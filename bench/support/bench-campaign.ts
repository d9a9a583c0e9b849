import { DEFAULT_KEEP_ARTIFACTS, type Adapter, type CampaignConfig } from '@hyperevolve/contract';
import { NO_PRUNING, compileBaseHyp, yolov5Profile, type StrategyName } from '@hyperevolve/ga-core';
import { CampaignStore } from '../../apps/scheduler/src/campaign/campaign-store.js';
import { createCampaign } from '../../apps/scheduler/src/campaign/create-campaign.js';
import type { RedisClient } from '@hyperevolve/runtime';

export interface BenchCampaignOptions {
  name: string;
  generations: number;
  command: string[];
  adapter: Adapter;
  outDir: string;
  seed?: number;
  strategy?: StrategyName;
}

/** The config `scheduler enqueue` would build with its defaults (YOLOv5's hyp and detection space). */
export function benchCampaignConfig(options: BenchCampaignOptions): CampaignConfig {
  return {
    version: 1,
    name: options.name,
    command: options.command,
    adapter: options.adapter,
    adapterParams: {},
    baseHyp: compileBaseHyp(yolov5Profile.defaultHyp, yolov5Profile.defaultSpace).base,
    space: yolov5Profile.defaultSpace,
    fitnessWeights: [...yolov5Profile.defaultFitnessWeights],
    strategy: { name: options.strategy ?? 'single', params: {} },
    seed: options.seed ?? 1,
    timeoutMs: null,
    stallTimeoutMs: null,
    pruning: { ...NO_PRUNING, rungs: [] },
    attempts: 3,
    fastTrials: true,
    keepArtifacts: { ...DEFAULT_KEEP_ARTIFACTS },
    maxConsecutiveFailures: 10,
    outDir: options.outDir,
    createdAt: Date.now(),
    importedRows: 0,
  };
}

/** Creates the campaign exactly as `scheduler enqueue` does (createCampaign); returns its config. */
export async function createBenchCampaign(redis: RedisClient, prefix: string, options: BenchCampaignOptions): Promise<CampaignConfig> {
  const config = benchCampaignConfig(options);
  const created = await createCampaign(redis, new CampaignStore(redis, prefix), config, options.generations, []);
  if (created !== 'created') throw new Error(`campaign ${options.name} exists already under prefix ${prefix}; use a fresh prefix per run`);
  return config;
}
