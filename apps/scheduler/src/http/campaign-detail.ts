import type { MetricsWire } from '@hyperevolve/contract';
import { trainerProfile } from '@hyperevolve/ga-core';
import type { CampaignStore } from '../campaign/campaign-store.js';
import { evolvedHyps } from '../plot/evolve-panels.js';
import type { PopulationPoints } from '../plot/population-points.js';
import { readCampaignView } from '../status/read-campaign-view.js';
import { readWorkerViews } from '../status/read-worker-views.js';
import { campaignWithWorkers } from '../status/running-from-workers.js';
import type { CampaignView } from '../status/status-view.js';
import type { RedisClient } from '@hyperevolve/runtime';

const FAILURES_SHOWN = 50;

export interface CampaignDetail {
  campaign: CampaignView;
  settings: {
    command: string[];
    adapter: string;
    fitnessWeights: number[];
    /** What the weights weigh, in their order (the trainer profile's fitness metrics). */
    fitnessMetrics: string[];
    /** The breeding strategy and its params. */
    strategy: { name: string; params: Record<string, unknown> };
    seed: number;
    outDir: string;
    hypNames: string[];
    evolved: string[];
  };
  /** `generation` is the best trial's row in evolve.csv (0-based), as hyp_evolve.yaml counts. */
  /** `metrics` by the trainer's column names, null for a value it wrote as nan. */
  best: { trial: number; fitness: number; generation: number | null; hyp: Record<string, number>; metrics: MetricsWire | null } | null;
  rows: number;
}

/** What the campaign page shows, read from Redis; null for an unknown campaign. */
export async function readCampaignDetail(redis: RedisClient, store: CampaignStore, points: PopulationPoints, name: string): Promise<CampaignDetail | null> {
  const now = Date.now();
  const [config, read, rows, workers] = await Promise.all([
    store.readConfig(name),
    readCampaignView(store, name, now, FAILURES_SHOWN),
    points.read(name),
    readWorkerViews(redis, store.prefix, now),
  ]);
  if (config === null || read === null) return null;
  const view = campaignWithWorkers(read, config.command, workers);
  const hypNames = Object.keys(config.baseHyp);
  let best: CampaignDetail['best'] = null;
  if (view.best !== null) {
    const trial = await store.trials.readTrial(name, view.best.trial);
    const position = rows.findIndex((p) => p.index === view.best?.trial);
    best = {
      trial: view.best.trial,
      fitness: view.best.fitness,
      generation: position < 0 ? null : position,
      hyp: trial?.hyp ?? {},
      metrics: trial?.metrics ?? null,
    };
  }
  return {
    campaign: view,
    settings: {
      command: config.command,
      adapter: config.adapter,
      fitnessWeights: [...config.fitnessWeights],
      fitnessMetrics: [...trainerProfile(config.adapter).fitnessMetrics],
      strategy: config.strategy,
      seed: config.seed,
      outDir: config.outDir,
      hypNames,
      evolved: evolvedHyps(hypNames, config.space),
    },
    best,
    rows: rows.length,
  };
}

