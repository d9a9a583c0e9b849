import { metricsToWire, type CampaignConfig, type CampaignKeys, type TrialRecord } from '@hyperevolve/contract';
import type { TrialStore } from '@hyperevolve/trial-store';
import { fitness, mutate, trialRng, yolov5Profile } from '@hyperevolve/ga-core';
import { landscapeQuality, qualityToMetrics } from '@hyperevolve/sim-train';
import { issuedKey } from '../../apps/scheduler/src/campaign/issued-key.js';
import type { RedisClient } from '@hyperevolve/runtime';

const BATCH = 500;

/**
 * Writes `count` recorded trials straight into Redis, in pipelines: each a copy of a real trial
 * record (`template`) with its own index, run name, hyps (a mutation of the base), metrics (the
 * landscape's) and fitness; plus the population, rows and issued entries and the state counters
 * that recording them one by one would have left.
 */
export async function loadPopulation(redis: RedisClient, trials: TrialStore, keys: CampaignKeys, config: CampaignConfig, template: TrialRecord, count: number): Promise<void> {
  const templateRun = template.runName ?? '';
  const renamed = (text: string, runName: string): string => (templateRun === '' ? text : text.split(templateRun).join(runName));
  let best = { index: -1, fitness: Number.NEGATIVE_INFINITY };
  for (let start = 0; start < count; start += BATCH) {
    const pipeline = redis.pipeline();
    for (let index = start; index < Math.min(count, start + BATCH); index++) {
      const hyp = mutate(config.baseHyp, config.space, trialRng(config.seed, index));
      const metrics = qualityToMetrics(landscapeQuality(hyp));
      const value = fitness(metrics, yolov5Profile.defaultFitnessWeights, yolov5Profile.fitnessMetrics);
      const runName = `${index}-1`;
      trials.queueCopy(pipeline, config.name, index, {
        ...template,
        index,
        hyp,
        metrics: metricsToWire(metrics),
        fitness: value,
        parents: index > 0 ? [index - 1] : [],
        pool: index > 4 ? [index - 1, index - 2, index - 3, index - 4, index - 5] : [],
        poolSize: index,
        runName,
        ...(template.trialDir === undefined ? {} : { trialDir: renamed(template.trialDir, runName) }),
        ...(template.logPath === undefined ? {} : { logPath: renamed(template.logPath, runName) }),
        ...(template.command === undefined ? {} : { command: template.command.map((arg) => renamed(arg, runName)) }),
      });
      pipeline.zadd(keys.population, value, index);
      pipeline.rpush(keys.rows, index);
      pipeline.hset(keys.issued, issuedKey(hyp), index);
      if (value > best.fitness) best = { index, fitness: value };
    }
    for (const [error] of (await pipeline.exec()) ?? []) if (error !== null) throw error;
  }
  await redis.hset(keys.state, { recorded: count, nextIndex: count, bestTrial: best.index, bestFitness: String(best.fitness) });
}
