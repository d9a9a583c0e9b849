import { globalKeys, metricsToWire, type CampaignConfig } from '@hyperevolve/contract';
import type { CampaignStore } from './campaign-store.js';
import type { ImportedTrial } from './import-population.js';
import type { RedisClient } from '@hyperevolve/runtime';

/**
 * Creates a campaign in one MULTI (config, state, imported trials, population, rows), so a
 * crash leaves either nothing or the whole campaign. WATCH makes two concurrent creators safe:
 * the loser sees the winner's config and returns 'exists'.
 */
export async function createCampaign(
  redis: RedisClient,
  store: CampaignStore,
  config: CampaignConfig,
  budget: number,
  imported: readonly ImportedTrial[],
): Promise<'created' | 'exists'> {
  const keys = store.keys(config.name);
  for (;;) {
    await redis.watch(keys.config);
    if ((await redis.exists(keys.config)) === 1) {
      // Ends the WATCH on the connection that holds it: a keyless UNWATCH would go to any node
      // of a cluster.
      await redis.multi().exists(keys.config).exec();
      return 'exists';
    }
    const now = Date.now();
    const multi = redis.multi();
    multi.set(keys.config, JSON.stringify(config));
    multi.del(keys.state, keys.population, keys.rows, keys.inflight, keys.issued, keys.failures, keys.pruned, keys.warned, ...config.pruning.rungs.flatMap((rung) => [keys.rung(rung), keys.rungLog(rung)]));
    let bestIndex = -1;
    let bestFitness = Number.NEGATIVE_INFINITY;
    imported.forEach((trial, index) => {
      const ok = Number.isFinite(trial.fitness);
      store.trials.queueImported(multi, config.name, { index, hyp: trial.hyp, metrics: metricsToWire(trial.metrics), fitness: trial.fitness, createdAt: now });
      multi.rpush(keys.rows, index);
      multi.hset(keys.issued, trial.fingerprint, index);
      if (ok) {
        multi.zadd(keys.population, trial.fitness, index);
        if (trial.fitness > bestFitness) {
          bestFitness = trial.fitness;
          bestIndex = index;
        }
      }
    });
    multi.hset(keys.state, {
      status: 'running',
      budget,
      nextIndex: imported.length,
      recorded: 0,
      failed: 0,
      consecutiveFailures: 0,
      exportedRows: 0,
      startedAt: now,
      ...(bestIndex >= 0 ? { bestTrial: bestIndex, bestFitness: String(bestFitness) } : {}),
    });
    const result = await multi.exec();
    if (result !== null) {
      await redis.sadd(globalKeys(store.prefix).campaigns, config.name);
      await redis.hdel(globalKeys(store.prefix).deleted, config.name);
      return 'created';
    }
  }
}
