import { ConfigError } from './config-error.js';
import { redactRedisUrl, validateRedisUrl } from './redis-url.js';

/** One node of a Redis Cluster, as the client first contacts it. */
export interface ClusterNode {
  host: string;
  port: number;
}

/**
 * Where a process finds Redis: one server named by a URL (`REDIS_URL`), or a Redis Cluster
 * named by some of its nodes (`REDIS_CLUSTER_NODES`). `from` names the flag or variable it came
 * from, so an error can name it too.
 */
export type RedisTarget =
  | { readonly kind: 'single'; readonly url: string; readonly from: string }
  | {
      readonly kind: 'cluster';
      readonly nodes: readonly ClusterNode[];
      readonly username: string | undefined;
      readonly password: string | undefined;
      readonly tls: boolean;
      readonly from: string;
    };

export const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379';

/** A target given as a plain URL (tests, tools): one Redis. */
export function singleRedis(url: string, from = 'REDIS_URL'): RedisTarget {
  return { kind: 'single', url, from };
}

export interface RedisTargetSources {
  urlFlag?: string | undefined;
  clusterFlag?: string | undefined;
  urlEnv?: string | undefined;
  clusterEnv?: string | undefined;
}

/**
 * Picks the Redis to use: a flag beats the environment, and `--redis-cluster` /
 * `REDIS_CLUSTER_NODES` name a cluster where `--redis-url` / `REDIS_URL` name one server.
 * Naming both at one level is refused: which one was meant cannot be guessed.
 */
export function redisTargetOf(sources: RedisTargetSources): RedisTarget {
  const { urlFlag, clusterFlag } = sources;
  if (urlFlag !== undefined && clusterFlag !== undefined) {
    throw new ConfigError('--redis-url and --redis-cluster were both given; use --redis-url for one Redis or --redis-cluster host:port,… for a Redis Cluster');
  }
  if (clusterFlag !== undefined) return parseClusterNodes(clusterFlag, '--redis-cluster');
  if (urlFlag !== undefined) return singleRedis(validateRedisUrl(urlFlag, '--redis-url'), '--redis-url');
  const urlEnv = given(sources.urlEnv);
  const clusterEnv = given(sources.clusterEnv);
  if (urlEnv !== undefined && clusterEnv !== undefined) {
    throw new ConfigError('REDIS_URL and REDIS_CLUSTER_NODES are both set; unset REDIS_URL to use the cluster, or REDIS_CLUSTER_NODES to use the one Redis');
  }
  if (clusterEnv !== undefined) return parseClusterNodes(clusterEnv, 'REDIS_CLUSTER_NODES');
  return singleRedis(validateRedisUrl(urlEnv ?? DEFAULT_REDIS_URL, 'REDIS_URL'));
}

const NODE_FORMAT = 'expected host:port[,host:port…], each optionally written as redis://[user:password@]host:port or rediss://… for TLS';

/**
 * `host:port,host:port` or the same nodes as `redis[s]://[user:password@]host:port` URLs, with
 * credentials and TLS written as in REDIS_URL. Nodes given as bare host:port share the
 * credentials and scheme of those given as URLs.
 */
export function parseClusterNodes(text: string, from: string): RedisTarget {
  const entries = text.split(',').map((entry) => entry.trim()).filter((entry) => entry !== '');
  if (entries.length === 0) throw new ConfigError(`${from}: no nodes given; ${NODE_FORMAT}`);
  const nodes: ClusterNode[] = [];
  const schemes = new Set<string>();
  const credentials = new Set<string>();
  let username: string | undefined;
  let password: string | undefined;
  for (const entry of entries) {
    if (/^[a-z][a-z0-9+.-]*:\/\//i.test(entry)) {
      const url = new URL(validateRedisUrl(entry, from));
      const db = url.pathname.replace(/^\//, '');
      if (db !== '' && db !== '0') throw new ConfigError(`${from}: "${redactRedisUrl(entry)}" names database ${db}; a Redis Cluster has only database 0, so leave the /${db} out`);
      schemes.add(url.protocol);
      if (url.username !== '' || url.password !== '') {
        username = url.username === '' ? undefined : decodeURIComponent(url.username);
        password = url.password === '' ? undefined : decodeURIComponent(url.password);
        credentials.add(`${url.username}:${url.password}`);
      }
      nodes.push({ host: url.hostname.replace(/^\[(.*)\]$/, '$1'), port: url.port === '' ? 6379 : Number(url.port) });
    } else {
      nodes.push(hostPort(entry, from));
    }
  }
  if (schemes.size > 1) throw new ConfigError(`${from}: some nodes use redis:// and some rediss://; a cluster is reached with TLS on every node or on none`);
  if (credentials.size > 1) throw new ConfigError(`${from}: the nodes carry different users or passwords; a cluster's nodes share one, so write it once (on one node, or the same on each)`);
  return { kind: 'cluster', nodes, username, password, tls: schemes.has('rediss:'), from };
}

function hostPort(entry: string, from: string): ClusterNode {
  const match = /^(?:\[([^\]]+)\]|([^:@/\s]+)):(\d{1,5})$/.exec(entry);
  const port = Number(match?.[3]);
  if (match === null || port < 1 || port > 65_535) {
    throw new ConfigError(`${from}: "${redactRedisUrl(entry)}" is not host:port; ${NODE_FORMAT}`);
  }
  return { host: match[1] ?? match[2] ?? '', port };
}

/** The target without its password, for logs and error messages. */
export function describeRedisTarget(target: RedisTarget): string {
  if (target.kind === 'single') return redactRedisUrl(target.url);
  const auth = target.password === undefined ? (target.username === undefined ? '' : `${target.username}@`) : `${target.username ?? ''}:***@`;
  const nodes = target.nodes.map((node) => (node.host.includes(':') ? `[${node.host}]:${node.port}` : `${node.host}:${node.port}`));
  return `cluster ${target.tls ? 'rediss' : 'redis'}://${auth}${nodes.join(',')}`;
}

/** The variable (or flag) to fix when this target is wrong. */
export function redisTargetSetting(target: RedisTarget): string {
  return target.kind === 'single' ? 'REDIS_URL (or --redis-url)' : 'REDIS_CLUSTER_NODES (or --redis-cluster)';
}

function given(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value;
}
