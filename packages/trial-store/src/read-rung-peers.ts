import type { CampaignKeys } from '@hyperevolve/contract';
import type { RedisClient } from '@hyperevolve/runtime';

/**
 * The fitness at a rung (epochs done) of every trial of the campaign that reached it, except
 * trial `index`: running, finished or pruned alike, as record-epoch wrote them.
 */
export async function readRungPeers(redis: RedisClient, keys: CampaignKeys, rung: number, index: number): Promise<number[]> {
  const flat = await redis.zrange(keys.rung(rung), 0, -1, 'WITHSCORES');
  const peers: number[] = [];
  for (let i = 0; i + 1 < flat.length; i += 2) {
    if (flat[i] !== String(index)) peers.push(Number(flat[i + 1]));
  }
  return peers;
}
