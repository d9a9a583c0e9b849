import type { CampaignKeys } from '@hyperevolve/contract';
import type { RungArrival } from '@hyperevolve/ga-core';
import type { RedisClient } from '@hyperevolve/runtime';

/**
 * A rung's entries as record-epoch stored them, for ga-core's decideAtRung: with a window, the
 * rung's log in arrival order (oldest first); without one (`window` null: campaigns from before
 * windows, `--prune-window all`), the sorted set of every trial that reached it, in no order that
 * matters. An entry that does not read as an index and a number is skipped (data in Redis
 * outlives a deploy).
 */
export async function readRungArrivals(redis: RedisClient, keys: CampaignKeys, rung: number, window: number | null): Promise<RungArrival[]> {
  const arrivals: RungArrival[] = [];
  const add = (index: string, fitness: string): void => {
    const entry = { index: Number(index), fitness: Number(fitness) };
    if (/^\d+$/.test(index) && fitness.trim() !== '' && Number.isFinite(entry.fitness)) arrivals.push(entry);
  };
  if (window === null) {
    const flat = await redis.zrange(keys.rung(rung), 0, -1, 'WITHSCORES');
    for (let i = 0; i + 1 < flat.length; i += 2) add(flat[i] ?? '', flat[i + 1] ?? '');
    return arrivals;
  }
  for (const line of await redis.lrange(keys.rungLog(rung), 0, -1)) {
    const colon = line.indexOf(':');
    add(line.slice(0, colon), line.slice(colon + 1));
  }
  return arrivals;
}
