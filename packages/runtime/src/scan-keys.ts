import { Cluster } from 'ioredis';
import type { RedisClient } from './redis-connection.js';

/**
 * Every key matching `pattern`, from every master of a cluster (SCAN sees one node only) or
 * from the one server. For tools and clean-up, never on a hot path.
 */
export async function scanKeys(client: RedisClient, pattern: string, count = 1000): Promise<string[]> {
  const servers = client instanceof Cluster ? client.nodes('master') : [client];
  const keys: string[] = [];
  for (const server of servers) {
    let cursor = '0';
    do {
      const [next, batch] = await server.scan(cursor, 'MATCH', pattern, 'COUNT', count);
      keys.push(...batch);
      cursor = next;
    } while (cursor !== '0');
  }
  return keys;
}
