import { openRedisClient, scanKeys, type RedisClient, type RedisTarget } from '@hyperevolve/runtime';
import { startPrivateRedis } from '../../test/support/private-redis.js';

/**
 * The Redis of one scenario, and a client on it: a private redis-server (no persistence, its own
 * port), or, when the bench is given a Redis Cluster, that cluster with the bench's keys deleted
 * before and after.
 */
export interface BenchRedis {
  readonly target: RedisTarget | string;
  /** For the scenario's child processes: REDIS_URL, or REDIS_CLUSTER_NODES. */
  readonly env: Readonly<Record<string, string>>;
  readonly client: RedisClient;
  stop(): Promise<void>;
}

/** Every key the bench writes starts with this (its campaigns and BullMQ queues). */
export const BENCH_PREFIX = 'bench';

export async function startBenchRedis(cluster: RedisTarget | null = null): Promise<BenchRedis> {
  if (cluster !== null && cluster.kind === 'cluster') {
    const client = openRedisClient(cluster, { maxRetriesPerRequest: null });
    const clear = async (): Promise<void> => {
      for (const pattern of [`${BENCH_PREFIX}:*`, `${BENCH_PREFIX}-template:*`]) {
        await Promise.all((await scanKeys(client, pattern)).map((key) => client.unlink(key)));
      }
    };
    await clear();
    const nodes = cluster.nodes.map((node) => `${node.host}:${node.port}`).join(',');
    return {
      target: cluster,
      env: { REDIS_URL: '', REDIS_CLUSTER_NODES: nodes },
      client,
      stop: async () => {
        await clear();
        client.disconnect();
      },
    };
  }
  const server = await startPrivateRedis();
  const client = openRedisClient(server.url, { maxRetriesPerRequest: null });
  return {
    target: server.url,
    env: { REDIS_URL: server.url },
    client,
    stop: async () => {
      client.disconnect();
      await server.stop();
    },
  };
}

/** Runs `body` against a fresh Redis (see {@link startBenchRedis}) and cleans up afterwards, whatever happens. */
export async function withBenchRedis<T>(cluster: RedisTarget | null, body: (redis: BenchRedis) => Promise<T>): Promise<T> {
  const redis = await startBenchRedis(cluster);
  try {
    return await body(redis);
  } finally {
    await redis.stop();
  }
}
