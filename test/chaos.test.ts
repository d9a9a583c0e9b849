import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import { formatG, parseEvolveCsv, YOLOV5_METRIC_NAMES } from '@hyperevolve/ga-core';
import { readCampaign } from './support/campaign-data.js';
import { Cluster } from './support/cluster.js';
import { startPrivateRedis, type PrivateRedis } from './support/private-redis.js';
import type { Managed } from './support/processes.js';
import { uniquePrefix } from './support/redis-prefix.js';
import { waitFor } from './support/wait-for.js';

/** A small seeded generator so the kill schedule is the same on every run. */
function lcg(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

const FAULT_ENV = { HYPEREVOLVE_LOCK_MS: '2000', HYPEREVOLVE_STALLED_MS: '1000', HYPEREVOLVE_LOG_LEVEL: 'warn' };

let server: PrivateRedis | null = null;
let cluster: Cluster | null = null;
afterEach(async () => {
  await cluster?.stop();
  await server?.stop();
  cluster = null;
  server = null;
});

async function expectConsistent(c: Cluster, redis: Redis, name: string, n: number): Promise<void> {
  const data = await readCampaign(redis, c.prefix, name);
  expect(Number(data.state.recorded)).toBe(n);
  expect(data.rows).toHaveLength(n);
  expect(new Set(data.rows).size).toBe(n);
  const succeeded = data.trials.filter((t) => t.status === 'succeeded');
  expect(succeeded).toHaveLength(n);
  expect(Number(data.state.bestFitness)).toBe(Math.max(...succeeded.map((t) => t.fitness)));
  expect(data.inflight).toBe(0);
  const path = join(c.outDir, name, 'evolve.csv');
  const csv = await waitFor(
    async () => {
      const text = await readFile(path, 'utf8').catch(() => '');
      return text.trimEnd().split('\n').length === n + 1 ? text : undefined;
    },
    { timeoutMs: 30_000, what: `${path} to hold ${n} rows` },
  );
  const parsed = parseEvolveCsv(csv, YOLOV5_METRIC_NAMES);
  parsed.rows.forEach((row, position) => {
    const trial = data.trials[data.rows[position] ?? -1];
    for (const name of parsed.hypNames) expect(formatG(row.hyp[name] ?? NaN)).toBe(formatG(trial?.hyp[name] ?? NaN));
  });
}

describe('crash-proof: exactly N whatever dies', () => {
  it('SIGKILLs workers every ~1.5 s and the scheduler 3+ times: exactly 150 trials, no duplicates, best = max, evolve.csv agrees', { timeout: 420_000 }, async () => {
    server = await startPrivateRedis();
    cluster = await Cluster.create({ redisUrl: server.url, prefix: uniquePrefix('chaos'), env: FAULT_ENV });
    const c = cluster;
    const redis = new Redis(server.url);
    try {
      let scheduler: Managed = c.serve(['--reconcile-ms', '500']);
      const workers: Managed[] = Array.from({ length: 6 }, () => c.worker());
      await c.enqueue(['--name', 'chaos', '--generations', '150', '--seed', '9'], ['--epochs', '2', '--duration-ms', '250']);
      const random = lcg(2024);
      const state = `${c.prefix}:c:{chaos}:state`;
      let tick = 0;
      const progress = setInterval(() => {
        void redis.hmget(state, 'recorded', 'failed', 'nextIndex').then((v) => console.log(new Date().toISOString(), 'chaos progress', v.join(' ')));
      }, 10_000);
      let schedulerKills = 0;
      let workerKills = 0;
      const deadline = Date.now() + 360_000;
      while ((await redis.hget(state, 'status')) !== 'done') {
        if (Date.now() > deadline) throw new Error(`chaos campaign did not finish: ${JSON.stringify(await redis.hgetall(state))}`);
        // The fault schedule, not a wait for a condition: one blow every ~1.5 s.
        await new Promise((resolve) => setTimeout(resolve, 1000 + random() * 1000));
        tick += 1;
        const victim = Math.floor(random() * workers.length);
        await workers[victim]?.kill('SIGKILL');
        workers[victim] = c.worker();
        workerKills += 1;
        if (tick % 3 === 1 && schedulerKills < 5) {
          await scheduler.kill('SIGKILL');
          scheduler = c.serve(['--reconcile-ms', '500']);
          schedulerKills += 1;
        }
      }
      clearInterval(progress);
      expect(schedulerKills).toBeGreaterThanOrEqual(3);
      expect(workerKills).toBeGreaterThanOrEqual(5);
      try {
        await expectConsistent(c, redis, 'chaos', 150);
      } catch (error) {
        // The live scheduler's own account is what tells a lost export from a slow one.
        throw new Error(`${error instanceof Error ? error.message : String(error)}\nlast scheduler's output:\n${scheduler.output().slice(-6000)}`, { cause: error });
      }
    } finally {
      await redis.quit();
    }
  });

  it('Redis (append-only file on) SIGKILLed mid-run and restarted: everyone reconnects, still exactly N', async () => {
    server = await startPrivateRedis({ appendOnly: true });
    cluster = await Cluster.create({ redisUrl: server.url, prefix: uniquePrefix('redis-restart'), env: FAULT_ENV });
    const c = cluster;
    const serve = c.serve(['--reconcile-ms', '500']);
    const workers = Array.from({ length: 3 }, () => c.worker());
    await c.enqueue(['--name', 'aof', '--generations', '30', '--seed', '4'], ['--epochs', '2', '--duration-ms', '200']);
    const watcher = new Redis(server.url, { maxRetriesPerRequest: null, retryStrategy: () => 100 });
    watcher.on('error', () => undefined);
    try {
      const state = `${c.prefix}:c:{aof}:state`;
      await waitFor(async () => Number(await watcher.hget(state, 'recorded')) >= 8, { timeoutMs: 120_000, what: '8 recorded trials' });
      await server.kill('SIGKILL');
      await new Promise((resolve) => setTimeout(resolve, 1500));
      await server.restart();
      await waitFor(async () => (await watcher.hget(state, 'status')) === 'done', { timeoutMs: 180_000, intervalMs: 250, what: 'the campaign to finish after the Redis restart' });
      for (const p of [serve, ...workers]) expect(p.child.exitCode, `${p.name} exited:\n${p.output().slice(-2000)}`).toBeNull();
      await expectConsistent(c, watcher, 'aof', 30);
    } finally {
      watcher.disconnect();
    }
  });
});
