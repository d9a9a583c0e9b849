import { describe, expect, it } from 'vitest';
import { ConfigError } from './config-error.js';
import { describeRedisTarget, parseClusterNodes, redisTargetOf } from './redis-target.js';

function message(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error('expected a ConfigError');
}

describe('redisTargetOf', () => {
  it('defaults to one Redis on 127.0.0.1:6379, treating an empty variable as unset', () => {
    expect(redisTargetOf({})).toEqual({ kind: 'single', url: 'redis://127.0.0.1:6379', from: 'REDIS_URL' });
    expect(redisTargetOf({ urlEnv: ' ', clusterEnv: '' })).toEqual({ kind: 'single', url: 'redis://127.0.0.1:6379', from: 'REDIS_URL' });
  });

  it('lets a flag beat the environment, in either direction', () => {
    expect(redisTargetOf({ urlFlag: 'redis://a:1', clusterEnv: 'b:2' })).toMatchObject({ kind: 'single', url: 'redis://a:1', from: '--redis-url' });
    expect(redisTargetOf({ clusterFlag: 'b:2', urlEnv: 'redis://a:1' })).toMatchObject({ kind: 'cluster', from: '--redis-cluster' });
  });

  it('refuses one Redis and a cluster named at the same level', () => {
    expect(message(() => redisTargetOf({ urlFlag: 'redis://a:1', clusterFlag: 'b:2' }))).toMatch(/--redis-url and --redis-cluster were both given/);
    expect(message(() => redisTargetOf({ urlEnv: 'redis://a:1', clusterEnv: 'b:2' }))).toMatch(/REDIS_URL and REDIS_CLUSTER_NODES are both set; unset/);
  });
});

describe('parseClusterNodes', () => {
  it('reads host:port lists, IPv6 in brackets, and URLs with credentials and TLS for every node', () => {
    expect(parseClusterNodes('127.0.0.1:7000, 127.0.0.1:7001,[::1]:7002', 'X')).toEqual({
      kind: 'cluster',
      nodes: [{ host: '127.0.0.1', port: 7000 }, { host: '127.0.0.1', port: 7001 }, { host: '::1', port: 7002 }],
      username: undefined,
      password: undefined,
      tls: false,
      from: 'X',
    });
    expect(parseClusterNodes('rediss://app:p%40ss@r1:6380,r2:6380', 'X')).toMatchObject({ nodes: [{ host: 'r1', port: 6380 }, { host: 'r2', port: 6380 }], username: 'app', password: 'p@ss', tls: true });
  });

  it('names the variable and the expected form, never the password', () => {
    expect(message(() => parseClusterNodes('r1', 'REDIS_CLUSTER_NODES'))).toMatch(/^REDIS_CLUSTER_NODES: "r1" is not host:port; expected host:port\[,host:port…\]/);
    expect(message(() => parseClusterNodes(' , ', '--redis-cluster'))).toMatch(/^--redis-cluster: no nodes given/);
    expect(message(() => parseClusterNodes('r1:99999', 'X'))).toMatch(/"r1:99999" is not host:port/);
    expect(message(() => parseClusterNodes('redis://r1:1,rediss://r2:1', 'X'))).toMatch(/TLS on every node or on none/);
    expect(message(() => parseClusterNodes('redis://:a@r1:1,redis://:b@r2:1', 'X'))).toMatch(/different users or passwords/);
    expect(message(() => parseClusterNodes('redis://:hunter2@r1:1/3', 'X'))).toMatch(/names database 3; a Redis Cluster has only database 0/);
    expect(message(() => parseClusterNodes('redis://:hunter2@r1:1/3', 'X'))).not.toContain('hunter2');
    expect(message(() => parseClusterNodes('http://r1:1', 'X'))).toMatch(/^X: scheme "http:" is not supported/);
  });

  it('describes a cluster without its password', () => {
    expect(describeRedisTarget(parseClusterNodes('redis://:hunter2@r1:1,r2:2', 'X'))).toBe('cluster redis://:***@r1:1,r2:2');
    expect(describeRedisTarget(parseClusterNodes('r1:1', 'X'))).toBe('cluster redis://r1:1');
  });
});
