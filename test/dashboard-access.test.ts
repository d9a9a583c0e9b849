import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { bundleDashboard } from '../scripts/dashboard-bundle.mjs';
import { Cluster } from './support/cluster.js';
import { http, serveDashboard } from './support/dashboard-client.js';
import { freePort, startPrivateRedis, type PrivateRedis } from './support/private-redis.js';
import { ROOT } from './support/processes.js';
import { deletePrefix, uniquePrefix } from './support/redis-prefix.js';
import { waitFor } from './support/wait-for.js';

const redisUrl = inject('redisUrl');
const TOKEN = 'tok-3f9a1c77e2b54d08';
let redis: Redis;
const clusters: { cluster: Cluster; redis: Redis }[] = [];
const privates: PrivateRedis[] = [];

beforeAll(() => {
  redis = new Redis(redisUrl);
});
afterAll(async () => {
  await redis.quit();
});
afterEach(async () => {
  for (const { cluster, redis: client } of clusters.splice(0)) {
    await cluster.stop();
    await deletePrefix(client, cluster.prefix);
    if (client !== redis) await client.quit();
  }
  for (const own of privates.splice(0)) await own.stop();
});

async function cluster(name: string, url = redisUrl): Promise<Cluster> {
  const created = await Cluster.create({ redisUrl: url, prefix: uniquePrefix(name) });
  clusters.push({ cluster: created, redis: url === redisUrl ? redis : new Redis(url) });
  return created;
}

const status = async (client: Redis, c: Cluster, name: string) => client.hget(`${c.prefix}:c:{${name}}:state`, 'status');

describe('dashboard HTTP access (real scheduler serve)', () => {
  it('on loopback: pages, JSON, Bull Board, metrics and actions are open; cross-site actions are refused', async () => {
    const c = await cluster('dash-open');
    const { base } = await serveDashboard(c, '127.0.0.1');
    await c.enqueue(['--name', 'acc', '--generations', '3', '--seed', '1']);
    await waitFor(async () => Number(await redis.llen(`${c.prefix}:{trials}:wait`)) > 0, { what: 'a queued trial' });

    const page = await http(`${base}/campaigns/acc`, { headers: { accept: 'text/html' } });
    expect(page.status).toBe(200);
    expect(page.text).toContain('/assets/echarts.min.js');
    const echarts = await http(`${base}/assets/echarts.min.js`);
    expect(echarts.status).toBe(200);
    expect(echarts.text.length).toBeGreaterThan(500_000);
    // The page's script is the bundle of its TypeScript (scripts/dashboard-bundle.mjs), whether
    // serve runs from the built dist or from source: one self-contained script, no module imports.
    const script = await http(`${base}/assets/dashboard.js`);
    expect([script.status, script.headers.get('content-type')]).toEqual([200, 'text/javascript; charset=utf-8']);
    expect(script.text).toBe(await bundleDashboard(ROOT));
    expect(script.text).not.toMatch(/^\s*(import|export)\b/m);

    const statusJson = (await http(`${base}/api/status`)).json() as { v: number; campaigns: { name: string; budget: number }[] };
    expect(statusJson.v).toBe(1);
    expect(statusJson.campaigns.map((x) => [x.name, x.budget])).toEqual([['acc', 3]]);
    const detail = (await http(`${base}/api/campaigns/acc`)).json() as { settings: { evolved: string[] }; best: unknown };
    expect(detail.settings.evolved).toContain('lr0');
    expect(detail.settings.evolved).not.toContain('iou_t');
    expect(detail.best).toBeNull();
    expect((await http(`${base}/api/campaigns/nope`)).status).toBe(404);
    expect((await http(`${base}/api/campaigns/bad%20name`)).status).toBe(400);

    expect((await http(`${base}/queues/`)).status).toBe(200);
    const queues = await http(`${base}/queues/api/queues`);
    expect(queues.status).toBe(200);
    expect(queues.text).toContain('{trials}');

    const metrics = await http(`${base}/metrics`);
    expect(metrics.status).toBe(200);
    expect(metrics.text).toContain('hyperevolve_campaign_budget{campaign="acc"} 3');
    expect(metrics.text).toMatch(/hyperevolve_trials\{campaign="acc",status="queued"\} [1-9]/);
    expect(metrics.text).toContain('hyperevolve_epochs_recorded{campaign="acc"} 0'); // no worker ran an epoch
    expect(metrics.text).toContain('hyperevolve_queue_depth{queue="trials",state="waiting"}');

    const forged = await http(`${base}/api/campaigns/acc/pause`, { method: 'POST', headers: { origin: 'http://evil.example' } });
    expect(forged.status).toBe(403);
    expect(await status(redis, c, 'acc')).toBe('running');

    const paused = await http(`${base}/api/campaigns/acc/pause`, { method: 'POST', headers: { origin: base } });
    expect(paused.status).toBe(200);
    expect((paused.json() as { message: string }).message).toMatch(/^campaign acc paused; \d+ queued trial\(s\) taken off the queue/);
    expect(await status(redis, c, 'acc')).toBe('paused');
    const again = await http(`${base}/api/campaigns/acc/pause`, { method: 'POST' });
    expect(again.status).toBe(200);
    expect((again.json() as { message: string }).message).toBe('campaign acc is already paused; nothing to do');
    expect((await http(`${base}/api/campaigns/acc/resume`, { method: 'POST' })).status).toBe(200);
    expect(await status(redis, c, 'acc')).toBe('running');
    expect((await http(`${base}/api/campaigns/acc/cancel`, { method: 'POST' })).status).toBe(200);
    const refused = await http(`${base}/api/campaigns/acc/resume`, { method: 'POST' });
    expect(refused.status).toBe(409);
    expect((refused.json() as { error: string }).error).toContain('campaign acc is cancelled; it cannot be resumed from there');
  });

  it('beyond loopback: reading and acting need the token (header, bearer, form or sign-in cookie); the Redis password never shows', async () => {
    const password = 'pw-9d2e7a41c0';
    const own = await startPrivateRedis({ password });
    privates.push(own);
    const c = await cluster('dash-closed', own.url);
    const client = clusters.at(-1)!.redis;
    const { base, serve } = await serveDashboard(c, '0.0.0.0', ['--http-token', TOKEN]);
    await c.enqueue(['--name', 'acc', '--generations', '3', '--seed', '1']);

    const page = await http(`${base}/`, { headers: { accept: 'text/html' } });
    expect(page.status).toBe(302);
    expect(page.headers.get('location')).toBe('/login?next=%2F');
    expect((await http(`${base}/login`)).status).toBe(200);
    expect((await http(`${base}/assets/dashboard.css`)).status).toBe(200);
    expect((await http(`${base}/api/status`)).status).toBe(401);
    expect((await http(`${base}/api/campaigns/acc/curves`)).status).toBe(401);
    expect((await http(`${base}/api/campaigns/acc/trials/0/curve`)).status).toBe(401);
    expect((await http(`${base}/metrics`)).status).toBe(401);
    expect((await http(`${base}/queues/api/queues`)).status).toBe(401);
    const bearer = { authorization: `Bearer ${TOKEN}` };
    expect((await http(`${base}/metrics`, { headers: bearer })).status).toBe(200);

    const refused = await http(`${base}/api/campaigns/acc/pause`, { method: 'POST' });
    expect(refused.status).toBe(403);
    expect((refused.json() as { error: string }).error).toContain('need the dashboard token');
    const wrong = await http(`${base}/api/campaigns/acc/pause`, { method: 'POST', headers: { 'x-hyperevolve-token': 'not-the-token-at-all' } });
    expect(wrong.status).toBe(403);
    expect((wrong.json() as { error: string }).error).toContain('is wrong');
    expect((await http(`${base}/queues/api/queues/pause`, { method: 'PUT' })).status).toBe(403);
    expect(await status(client, c, 'acc')).toBe('running');

    const form = await http(`${base}/api/campaigns/acc/pause`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token: TOKEN }).toString(),
    });
    expect(form.status).toBe(200);
    expect(await status(client, c, 'acc')).toBe('paused');

    const badLogin = await http(`${base}/login`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'token=nope-nope-nope&next=%2F' });
    expect(badLogin.status).toBe(403);
    const login = await http(`${base}/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token: TOKEN, next: '/campaigns/acc' }).toString(),
    });
    expect(login.status).toBe(303);
    expect(login.headers.get('location')).toBe('/campaigns/acc');
    const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0]!;
    expect(login.headers.get('set-cookie')).toMatch(/HttpOnly; SameSite=Strict/);
    const session = (await http(`${base}/api/session`, { headers: { cookie } })).json() as { loopback: boolean; canAct: boolean };
    expect(session).toMatchObject({ loopback: false, canAct: true });
    expect((await http(`${base}/api/campaigns/acc/resume`, { method: 'POST', headers: { cookie } })).status).toBe(200);
    expect(await status(client, c, 'acc')).toBe('running');

    const seen = [
      (await http(`${base}/api/status`, { headers: bearer })).text,
      (await http(`${base}/api/campaigns/acc`, { headers: bearer })).text,
      (await http(`${base}/metrics`, { headers: bearer })).text,
      (await http(`${base}/queues/api/redis/stats`, { headers: bearer })).text,
      serve.output(),
      (await c.cli(['status'])).stdout,
      (await c.cli(['status', '--json'])).stdout,
    ].join('\n');
    expect(seen).not.toContain(password);
    expect(serve.output()).not.toContain(TOKEN);
  });

  it('refuses to serve beyond loopback with neither a token nor --http-public-read (exit 2, naming the fix)', async () => {
    const c = await cluster('dash-refused');
    const result = await c.cli(['serve', '--http', `0.0.0.0:${await freePort()}`]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--http-token');
    expect(result.stderr).toContain('--http-public-read');
  });
  it('downloads evolve.csv and hyp_evolve.yaml byte-identical to the files the exporter writes', async () => {
    const c = await cluster('dash-files');
    const { base } = await serveDashboard(c, '127.0.0.1');
    c.worker();
    c.worker();
    await c.enqueue(['--name', 'files', '--generations', '6', '--seed', '3']);
    const dir = join(c.outDir, 'files');
    const csv = await waitFor(async () => {
      if ((await status(redis, c, 'files')) !== 'done') return undefined;
      const text = await readFile(join(dir, 'evolve.csv'), 'utf8').catch(() => '');
      return text.trimEnd().split('\n').length === 7 ? text : undefined;
    }, { timeoutMs: 120_000, what: 'the campaign done and evolve.csv with 6 rows' });
    const yaml = await waitFor(async () => {
      const text = await readFile(join(dir, 'hyp_evolve.yaml'), 'utf8').catch(() => '');
      return text.includes('# Best generation:') ? text : undefined;
    }, { what: 'hyp_evolve.yaml' });

    const csvDownload = await http(`${base}/campaigns/files/evolve.csv`);
    expect(csvDownload.status).toBe(200);
    expect(csvDownload.headers.get('content-disposition')).toBe('attachment; filename="evolve.csv"');
    expect(csvDownload.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(csvDownload.text).toBe(csv);
    const yamlDownload = await http(`${base}/campaigns/files/hyp_evolve.yaml`);
    expect(yamlDownload.status).toBe(200);
    expect(yamlDownload.text).toBe(yaml);
    expect((await http(`${base}/campaigns/nope/evolve.csv`)).status).toBe(404);
  });
});
