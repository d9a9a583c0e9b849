import { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import { Cluster } from './support/cluster.js';
import { startPrivateRedis, type PrivateRedis } from './support/private-redis.js';
import { uniquePrefix } from './support/redis-prefix.js';
import { waitFor } from './support/wait-for.js';

let server: PrivateRedis | null = null;
let cluster: Cluster | null = null;
let admin: Redis | null = null;
afterEach(async () => {
  admin?.disconnect();
  await cluster?.stop();
  await server?.stop();
  admin = null;
  cluster = null;
  server = null;
});

async function start(name: string, appendOnly: boolean): Promise<{ c: Cluster; redis: Redis }> {
  server = await startPrivateRedis({ appendOnly });
  cluster = await Cluster.create({ redisUrl: server.url, prefix: uniquePrefix(name) });
  admin = new Redis(server.url, { maxRetriesPerRequest: null });
  return { c: cluster, redis: admin };
}

async function statusText(c: Cluster): Promise<string> {
  const status = await c.cli(['status', '--out', c.outDir]);
  expect(status.code, status.stderr).toBe(0);
  return status.stdout;
}

describe('Redis settings and states that put campaigns at risk are said plainly', () => {
  it('serve, the worker and status warn of a Redis without its append-only file and with an evicting policy; fixed, status says nothing and serve says so', async () => {
    const { c, redis } = await start('risks', false);
    await redis.config('SET', 'maxmemory-policy', 'allkeys-lru');
    const serve = c.serve();
    const worker = c.worker();
    for (const proc of [serve, worker]) {
      await proc.waitForOutput(/Redis runs without its append-only file \(appendonly no\): a restart of Redis loses every campaign.*CONFIG SET appendonly yes/);
      await proc.waitForOutput(/Redis's maxmemory-policy is allkeys-lru, not noeviction: when its memory fills up it deletes keys.*CONFIG SET maxmemory-policy noeviction/);
    }
    const text = await statusText(c);
    expect(text).toMatch(/^warning: Redis runs without its append-only file/m);
    expect(text).toMatch(/^warning: Redis's maxmemory-policy is allkeys-lru, not noeviction/m);
    const json = await c.cli(['status', '--json']);
    expect((JSON.parse(json.stdout) as { redisRisks: { kind: string }[] }).redisRisks.map((risk) => risk.kind)).toEqual(['no-append-only-file', 'evicting']);

    await redis.config('SET', 'appendonly', 'yes');
    await redis.config('SET', 'maxmemory-policy', 'noeviction');
    expect(await statusText(c)).not.toMatch(/warning/);
    await serve.waitForOutput(/no longer so: no-append-only-file/);
    await serve.waitForOutput(/no longer so: evicting/);
  }, 120_000);

  it('Redis out of memory: status says Redis refuses writes, not that serve is gone or the workers dead; serve and the worker say it too, and what to do', async () => {
    const { c, redis } = await start('oom', true);
    const serve = c.serve();
    const worker = c.worker();
    await waitFor(async () => {
      const text = await statusText(c);
      return text.includes('workers: 1 alive') && !text.includes('no scheduler serve');
    }, { timeoutMs: 60_000, what: 'status to show serve and one live worker' });
    expect(await statusText(c)).not.toMatch(/warning/);

    await redis.config('SET', 'maxmemory', '1');
    for (const proc of [serve, worker]) {
      await proc.waitForOutput(/Redis is out of memory \(\d+ of maxmemory 1 bytes used\) and refuses writes.*CONFIG SET maxmemory/, 60_000);
    }
    const text = await waitFor(async () => {
      const now = await statusText(c);
      return now.includes('no scheduler serve has written') && now.includes('1 silent') ? now : undefined;
    }, { timeoutMs: 60_000, what: 'status to see the heartbeats stop' });
    expect(text).toMatch(/^warning: Redis is out of memory .* and refuses writes/m);
    expect(text).toContain('no scheduler serve has written a heartbeat lately: Redis refuses writes (out of memory, above), so a running serve cannot say it is alive');
    expect(text).toContain('1 silent (no heartbeat: Redis refuses writes, so they may well be alive)');
    expect(text).not.toContain('no scheduler serve is running');

    await redis.config('SET', 'maxmemory', '0');
    await serve.waitForOutput(/no longer so: out-of-memory/, 60_000);
    await waitFor(async () => (await statusText(c)).includes('workers: 1 alive'), { timeoutMs: 60_000, what: 'the worker to beat again' });
  }, 240_000);
});
