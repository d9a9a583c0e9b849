import { Cluster } from 'ioredis';
import type { RedisClient } from '@hyperevolve/runtime';

/** A numeric INFO field, summed over every master of a cluster (INFO answers for one node). */
export async function infoSum(client: RedisClient, section: string, field: string): Promise<number> {
  const servers = client instanceof Cluster ? client.nodes('master') : [client];
  const pattern = new RegExp(`^${field}:([\\d.]+)`, 'm');
  const values = await Promise.all(servers.map(async (server) => Number(pattern.exec(await server.info(section))?.[1] ?? Number.NaN)));
  return values.reduce((a, b) => a + b, 0);
}
