import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openRedisClient, parseClusterNodes, type RedisClient } from '@hyperevolve/runtime';
import { freePort } from './private-redis.js';
import { waitFor } from './wait-for.js';

export interface RedisCluster {
  /** `127.0.0.1:p1,127.0.0.1:p2,…`, as REDIS_CLUSTER_NODES takes it. */
  readonly nodes: string;
  readonly ports: readonly number[];
  readonly dir: string;
  /** A cluster client on it (closed by stop()). */
  readonly client: RedisClient;
  stop(): Promise<void>;
}

/**
 * A real Redis Cluster of `masters` masters (no replicas) on loopback: one `redis-server
 * --cluster-enabled yes` per master on free ports (the bus ports chosen free too), in a temp
 * dir, joined by `redis-cli --cluster create`. Resolves once every node reports cluster_state:ok
 * and a cluster client is ready. stop() SIGKILLs the servers and removes the dir.
 */
export async function startRedisCluster(masters = 3): Promise<RedisCluster> {
  const dir = await mkdtemp(join(tmpdir(), 'hyperevolve-redis-cluster-'));
  const servers: ChildProcess[] = [];
  const ports: number[] = [];
  let client: RedisClient | undefined;
  const stop = async (): Promise<void> => {
    client?.disconnect();
    await Promise.all(servers.map(async (child) => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGKILL');
      await exited;
    }));
    await rm(dir, { recursive: true, force: true });
  };
  try {
    for (let i = 0; i < masters; i++) {
      const [port, busPort] = await distinctFreePorts(ports);
      ports.push(port);
      const nodeDir = join(dir, String(port));
      await mkdir(nodeDir);
      servers.push(spawn('redis-server', [
        '--port', String(port), '--cluster-port', String(busPort), '--bind', '127.0.0.1', '--dir', nodeDir,
        '--cluster-enabled', 'yes', '--cluster-config-file', 'nodes.conf', '--cluster-node-timeout', '5000',
        '--save', '', '--appendonly', 'no', '--daemonize', 'no',
      ], { stdio: 'ignore' }));
    }
    for (const port of ports) await waitFor(() => cli(port, ['PING']).then((out) => out.trim() === 'PONG'), { timeoutMs: 10_000, what: `redis-server on ${port}` });
    const created = await run('redis-cli', ['--cluster', 'create', ...ports.map((port) => `127.0.0.1:${port}`), '--cluster-replicas', '0', '--cluster-yes']);
    if (created.code !== 0) throw new Error(`redis-cli --cluster create exited ${created.code}:\n${created.output}`);
    for (const port of ports) {
      await waitFor(async () => /cluster_state:ok/.test(await cli(port, ['CLUSTER', 'INFO'])) && /cluster_known_nodes:(\d+)/.exec(await cli(port, ['CLUSTER', 'INFO']))?.[1] === String(masters), {
        timeoutMs: 30_000,
        what: `node ${port} to see ${masters} nodes and cluster_state:ok`,
      });
    }
    const nodes = ports.map((port) => `127.0.0.1:${port}`).join(',');
    const ready = openRedisClient(parseClusterNodes(nodes, 'test cluster'), { maxRetriesPerRequest: null });
    client = ready;
    ready.on('error', () => undefined);
    await waitFor(async () => (await ready.ping()) === 'PONG', { timeoutMs: 10_000, what: 'a cluster client to connect' });
    return { nodes, ports, dir, client: ready, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** A free port for a node and another for its cluster bus (port + 10000 may be taken or above 65535). */
async function distinctFreePorts(taken: readonly number[]): Promise<[number, number]> {
  for (;;) {
    const port = await freePort();
    const bus = await freePort();
    if (port !== bus && !taken.includes(port) && !taken.includes(bus)) return [port, bus];
  }
}

async function cli(port: number, args: readonly string[]): Promise<string> {
  return (await run('redis-cli', ['-p', String(port), ...args])).output;
}

async function run(command: string, args: readonly string[]): Promise<{ code: number | null; output: string }> {
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const code = await new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', resolve);
  });
  return { code, output };
}
