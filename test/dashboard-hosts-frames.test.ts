import { createServer, request, type Server } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { useClusters } from './support/cluster-fixture.js';
import { launchChromium } from './support/chromium.js';
import { serveDashboard } from './support/dashboard-client.js';
import { freePort } from './support/private-redis.js';

const { redis, cluster } = useClusters();
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => undefined);
});

/** A request to the dashboard on 127.0.0.1 with a Host header of our choosing (what a rebound DNS name sends). */
function get(port: number, path: string, host: string, extra: { method?: string; origin?: string } = {}): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; text: string }> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { host, accept: 'text/html,application/json' };
    if (extra.origin !== undefined) headers.origin = extra.origin;
    const req = request({ host: '127.0.0.1', port, path, method: extra.method ?? 'GET', headers }, (res) => {
      let text = '';
      res.on('data', (chunk: Buffer) => (text += chunk.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('dashboard: DNS rebinding and framing refused (real scheduler serve)', () => {
  it('a request whose Host is not the bound address, localhost or an allowed host is refused, reads included; pages cannot be framed', async () => {
    const c = await cluster('dash-hosts');
    const { port } = await serveDashboard(c, '127.0.0.1');
    await c.enqueue(['--name', 'acc', '--generations', '3', '--seed', '1']);
    const state = `${c.prefix}:c:{acc}:state`;
    const attacker = `attacker.example:${port}`;

    for (const path of ['/', '/campaigns/acc', '/api/status', '/api/campaigns/acc', '/queues/', '/metrics', '/assets/dashboard.js']) {
      const refused = await get(port, path, attacker);
      expect([path, refused.status]).toEqual([path, 403]);
      expect((JSON.parse(refused.text) as { error: string }).error).toMatch(/Host "attacker\.example:\d+" is not this dashboard's address .*--http-allowed-hosts attacker\.example/);
      expect(refused.text).not.toContain('acc');
    }
    const cancel = await get(port, '/api/campaigns/acc/cancel', attacker, { method: 'POST', origin: `http://${attacker}` });
    expect(cancel.status).toBe(403);
    expect(await redis.hget(state, 'status')).toBe('running');

    for (const host of [`127.0.0.1:${port}`, `localhost:${port}`, 'localhost', `[::1]:${port}`, `LOCALHOST:${port}`]) {
      const page = await get(port, '/campaigns/acc', host);
      expect([host, page.status]).toEqual([host, 200]);
    }
    for (const path of ['/', '/campaigns/acc', '/api/status', '/queues/', '/login']) {
      const { headers } = await get(port, path, `127.0.0.1:${port}`);
      expect(headers['content-security-policy'], path).toMatch(/frame-ancestors 'none'/);
      expect(headers['content-security-policy'], path).toMatch(/default-src 'self'/);
      expect(headers['content-security-policy'], path).toMatch(/script-src 'self'(;|$)/);
      expect(headers['x-frame-options'], path).toBe('DENY');
      expect(headers['x-content-type-options'], path).toBe('nosniff');
    }
  }, 120_000);

  it('--http-allowed-hosts adds names (a LAN name, a reverse proxy); others stay refused', async () => {
    const c = await cluster('dash-allowed');
    const { port } = await serveDashboard(c, '127.0.0.1', ['--http-allowed-hosts', 'scheduler.lan,Proxy.Example.org']);
    expect((await get(port, '/api/status', `scheduler.lan:${port}`)).status).toBe(200);
    expect((await get(port, '/api/status', 'proxy.example.org')).status).toBe(200);
    expect((await get(port, '/api/status', `localhost:${port}`)).status).toBe(200);
    expect((await get(port, '/api/status', `evil.lan:${port}`)).status).toBe(403);
  }, 120_000);

  it('in Chromium: a rebound name reads and changes nothing, and a foreign page cannot frame a campaign page', async () => {
    const c = await cluster('dash-browser-hosts');
    const { port, base } = await serveDashboard(c, '127.0.0.1');
    await c.enqueue(['--name', 'acc', '--generations', '3', '--seed', '1']);
    const state = `${c.prefix}:c:{acc}:state`;

    const foreignPort = await freePort();
    const foreign: Server = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end(`<!doctype html><p>win a prize</p><iframe id="victim" src="${base}/campaigns/acc" width="900" height="600"></iframe>`);
    });
    await new Promise<void>((resolve) => foreign.listen(foreignPort, '127.0.0.1', resolve));
    cleanups.push(() => new Promise((resolve) => foreign.close(() => resolve())));

    // attacker.example resolves to this machine, as after DNS rebinding.
    const browser = await launchChromium({ extraArgs: ['--host-resolver-rules=MAP attacker.example 127.0.0.1, MAP foreign.example 127.0.0.1'] });
    cleanups.push(browser.close);
    const page = await browser.context.newPage();

    // The control: the dashboard's own address shows the campaign.
    await page.goto(`${base}/campaigns/acc`);
    await page.locator('#campaign-status', { hasText: 'running' }).waitFor({ timeout: 30_000 });

    const rebound = await page.goto(`http://attacker.example:${port}/campaigns/acc`);
    expect(rebound?.status()).toBe(403);
    const tried = await page.evaluate(async () => {
      const read = await fetch('/api/status');
      const act = await fetch('/api/campaigns/acc/pause', { method: 'POST' });
      return { read: read.status, readBody: await read.text(), act: act.status };
    });
    expect(tried.read).toBe(403);
    expect(tried.readBody).not.toContain('"campaigns"');
    expect(tried.act).toBe(403);
    expect(await redis.hget(state, 'status')).toBe('running');

    await page.goto(`http://foreign.example:${foreignPort}/`, { waitUntil: 'load' });
    const frame = page.frames().find((f) => f !== page.mainFrame());
    expect(frame, 'the foreign page has its iframe').toBeDefined();
    await frame?.waitForLoadState('load');
    // Blocked by frame-ancestors / X-Frame-Options, the frame shows Chromium's error page, not the campaign.
    expect(await frame?.locator('#pause').count()).toBe(0);
    expect(frame?.url()).not.toBe(`${base}/campaigns/acc`);
  }, 180_000);
});
