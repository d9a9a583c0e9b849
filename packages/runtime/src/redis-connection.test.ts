import { Cluster, Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { openRedisClient } from './redis-connection.js';
import { parseClusterNodes } from './redis-target.js';

describe('openRedisClient', () => {
  it('opens one Redis for a URL and a Cluster for cluster nodes, with their credentials and TLS on every node', () => {
    const single = openRedisClient('redis://127.0.0.1:1', { lazyConnect: true });
    expect(single).toBeInstanceOf(Redis);
    single.disconnect();

    const cluster = openRedisClient(parseClusterNodes('rediss://app:s3cret@10.0.0.1:7000,10.0.0.2:7001', 'X'), {
      lazyConnect: true,
      maxRetriesPerRequest: null,
      connectionName: 'n',
      retryStrategy: () => 5,
    });
    expect(cluster).toBeInstanceOf(Cluster);
    const options = (cluster as Cluster).options;
    expect(options.redisOptions).toMatchObject({ username: 'app', password: 's3cret', tls: {}, maxRetriesPerRequest: null, connectionName: 'n' });
    expect(options.clusterRetryStrategy?.(3)).toBe(5);
    expect(options.lazyConnect).toBe(true);
    cluster.disconnect();
  });
});
