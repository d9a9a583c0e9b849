import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Cluster as RedisClusterClient } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { campaignKeys, globalKeys } from '@hyperevolve/contract';
import { scanKeys } from '@hyperevolve/runtime';
import { readCampaign } from './support/campaign-data.js';
import { Cluster } from './support/cluster.js';
import { statusJson } from './support/faults.js';
import type { Managed } from './support/processes.js';
import { startRedisCluster, type RedisCluster } from './support/redis-cluster.js';
import { uniquePrefix } from './support/redis-prefix.js';
import { waitFor } from './support/wait-for.js';

/**
 * Redis Cluster, for real: three masters on loopback, every process pointed at them with
 * REDIS_CLUSTER_NODES only. A campaign runs to exactly N through it while a worker is SIGKILLed
 * mid-trial; the CLI verbs work on it. Any MULTI, pipeline or script that spans two slots fails
 * there with CROSSSLOT, so this is the test that they do not.
 */
const N = 12;
const FAULT_ENV = { HYPEREVOLVE_LOCK_MS: '2000', HYPEREVOLVE_STALLED_MS: '1000', HYPEREVOLVE_LOG_LEVEL: 'warn' };

let redis: RedisCluster;
let cluster: Cluster;

beforeAll(async () => {
  redis = await startRedisCluster(3);
  cluster = await Cluster.create({ redisUrl: '', clusterNodes: redis.nodes, prefix: uniquePrefix('cluster'), env: FAULT_ENV });
});

afterAll(async () => {
  await cluster?.stop();
  await redis?.stop();
});

describe('Redis Cluster: every process reaches a 3-master cluster named by REDIS_CLUSTER_NODES', () => {
  it(`runs a campaign to exactly ${N} with a worker SIGKILLed mid-trial; status, list, best and export work on it`, { timeout: 240_000 }, async () => {
    expect(redis.client).toBeInstanceOf(RedisClusterClient);
    const c = cluster;
    const serve = c.serve();
    const workers: Managed[] = [c.worker(), c.worker()];
    await c.enqueue(['--name', 'sharded', '--generations', String(N), '--seed', '3'], ['--epochs', '2', '--duration-ms', '1500']);

    // A worker with a trial in hand, as its heartbeat (read through the cluster) reports it.
    const registry = globalKeys(c.prefix);
    const busy = await waitFor(async () => {
      for (const id of await redis.client.zrange(registry.workers, 0, -1)) {
        const beat = await redis.client.hgetall(registry.worker(id));
        if (beat.currentTrial !== undefined && workers.some((m) => m.child.pid === Number(beat.pid))) return { pid: Number(beat.pid), currentTrial: beat.currentTrial };
      }
      return undefined;
    }, { timeoutMs: 60_000, what: 'a worker to report a running trial' });
    const victim = workers.findIndex((m) => m.child.pid === busy.pid);
    await workers[victim]?.kill('SIGKILL');
    workers[victim] = c.worker();

    const keys = campaignKeys(c.prefix, 'sharded');
    await waitFor(async () => (await redis.client.hget(keys.state, 'status')) === 'done', {
      timeoutMs: 180_000,
      intervalMs: 200,
      what: `campaign sharded to record ${N} trials; serve output:\n${serve.output().slice(-3000)}`,
    });

    const data = await readCampaign(redis.client, c.prefix, 'sharded');
    expect(Number(data.state.recorded)).toBe(N);
    expect(data.rows).toHaveLength(N);
    expect(new Set(data.rows).size).toBe(N);
    const succeeded = data.trials.filter((t) => t.status === 'succeeded');
    expect(succeeded).toHaveLength(N);
    expect(Number(data.state.bestFitness)).toBe(Math.max(...succeeded.map((t) => t.fitness)));
    expect(data.inflight).toBe(0);
    // The killed worker's trial was run again, not lost: its record names a later run.
    const [campaign, index] = (busy.currentTrial ?? '').split('/');
    expect(campaign).toBe('sharded');
    expect(data.trials[Number(index)]?.status).toBe('succeeded');

    // The installation's keys really are spread over the masters (campaign, registry, queues).
    const perMaster = await Promise.all((redis.client as RedisClusterClient).nodes('master').map(async (node) => (await scanKeys(node, `${c.prefix}:*`)).length));
    expect(perMaster.filter((count) => count > 0).length).toBeGreaterThanOrEqual(2);

    const status = await statusJson(c, 'sharded');
    expect(status.campaigns[0]).toMatchObject({ name: 'sharded', status: 'done', recorded: N });
    const list = await c.cli(['list']);
    expect(list.code, list.stderr).toBe(0);
    expect(list.stdout).toMatch(/sharded/);
    const best = await c.cli(['best', '--name', 'sharded']);
    expect(best.code, best.stderr).toBe(0);
    expect(best.stdout).toMatch(/^# YOLOv5 Hyperparameter Evolution Results/);
    const out = join(c.dir, 'exported');
    const exported = await c.cli(['export', '--name', 'sharded', '--out', out]);
    expect(exported.code, exported.stderr).toBe(0);
    expect((await readFile(join(out, 'sharded', 'evolve.csv'), 'utf8')).trimEnd().split('\n')).toHaveLength(N + 1);
    for (const m of [serve, ...workers]) expect(m.output(), m.name).not.toMatch(/CROSSSLOT/);
  });
});
