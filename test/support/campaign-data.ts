import type { RedisClient } from '@hyperevolve/runtime';
import { campaignKeys } from '@hyperevolve/contract';

export interface TrialData {
  index: number;
  status: string;
  origin: string;
  hyp: Record<string, number>;
  parents: number[];
  pool: number[];
  poolSize: number;
  fitness: number;
  error: string | null;
  raw: Record<string, string>;
}

/** Reads a campaign back from Redis for assertions. */
export async function readCampaign(redis: RedisClient, prefix: string, name: string) {
  const keys = campaignKeys(prefix, name);
  const state = await redis.hgetall(keys.state);
  const rows = (await redis.lrange(keys.rows, 0, -1)).map(Number);
  const nextIndex = Number(state.nextIndex ?? 0);
  const trials: TrialData[] = [];
  for (let index = 0; index < nextIndex; index++) {
    const raw = await redis.hgetall(keys.trial(index));
    trials.push({
      index,
      status: raw.status ?? '',
      origin: raw.origin ?? '',
      hyp: JSON.parse(raw.hyp ?? '{}'),
      parents: JSON.parse(raw.parents ?? '[]'),
      pool: JSON.parse(raw.pool ?? '[]'),
      poolSize: Number(raw.poolSize ?? 0),
      fitness: Number(raw.fitness ?? Number.NaN),
      error: raw.error ?? null,
      raw,
    });
  }
  const population = await redis.zrange(keys.population, 0, -1, 'WITHSCORES');
  return { state, rows, trials, populationSize: population.length / 2, inflight: await redis.scard(keys.inflight) };
}
