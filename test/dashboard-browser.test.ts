import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { type BrowserContext } from 'playwright-core';
import { launchChromium } from './support/chromium.js';
import { afterEach, describe, expect, it } from 'vitest';
import { formatG, yolov5Profile } from '@hyperevolve/ga-core';
import { useClusters } from './support/cluster-fixture.js';
import { serveDashboard } from './support/dashboard-client.js';
import { ROOT } from './support/processes.js';
import { waitFor } from './support/wait-for.js';

const TOKEN = 'browser-token-5be1d2a9';
const ARTIFACTS = join(ROOT, 'test-artifacts');
const cleanups: (() => Promise<void>)[] = [];
const { redis, cluster } = useClusters();

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => undefined);
});

async function browser(): Promise<BrowserContext> {
  const { context, close } = await launchChromium({ viewport: { width: 1400, height: 1000 } });
  cleanups.push(close);
  return context;
}

/** Best generation and the 7 metrics from `scheduler best` (hyp_evolve.yaml's header). */
function parseBest(yaml: string): { generation: number; metrics: number[] } {
  const generation = Number(/^# Best generation: (\d+)$/m.exec(yaml)?.[1]);
  const lines = yaml.split('\n');
  const metrics = (lines[4] ?? '').replace(/^#/, '').split(',').map((v) => Number(v.trim()));
  return { generation, metrics };
}

describe('dashboard in a real browser (chromium, live scheduler and workers)', () => {
  it('shows what `scheduler best` reports, one chart point per recorded trial, and refuses pause without the token beyond loopback', async () => {
    const c = await cluster('browser');
    // Bound to every interface, but this test only ever connects to 127.0.0.1.
    const { base } = await serveDashboard(c, '0.0.0.0', ['--http-token', TOKEN, '--http-public-read']);
    // Workers join once the actions are checked, so the campaign is surely running until then.
    await c.enqueue(['--name', 'web', '--generations', '15', '--seed', '21'], ['--epochs', '2', '--duration-ms', '800']);
    const state = `${c.prefix}:c:{web}:state`;

    const context = await browser();
    const page = await context.newPage();
    const pageErrors: string[] = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));
    // Everything the page needs is served by the scheduler (no CDN); anything else is blocked.
    const elsewhere: string[] = [];
    await context.route((url) => url.protocol.startsWith('http') && url.hostname !== '127.0.0.1', async (route) => {
      elsewhere.push(route.request().url());
      await route.abort();
    });

    await page.goto(`${base}/campaigns/web`);
    await page.locator('#campaign-status', { hasText: 'running' }).waitFor({ timeout: 30_000 });

    // Without the token the pause button is refused, and the campaign keeps running.
    await page.locator('#pause').click();
    const message = page.locator('#action-message[data-status="403"]');
    await message.waitFor({ timeout: 15_000 });
    expect(await message.textContent()).toContain('need the dashboard token');
    expect(await redis.hget(state, 'status')).toBe('running');

    // Signed in with the token, the same button pauses, and resume continues.
    await page.locator('#session a', { hasText: 'Sign in' }).click();
    await page.locator('input[name="token"]').fill(TOKEN);
    await page.locator('button[type="submit"]').click();
    await page.waitForURL(`${base}/campaigns/web`);
    await page.locator('#session button', { hasText: 'Sign out' }).waitFor({ timeout: 15_000 });
    await page.locator('#campaign-status', { hasText: 'running' }).waitFor({ timeout: 15_000 });
    await page.locator('#pause').click();
    await page.locator('#action-message[data-status]').waitFor({ timeout: 15_000 });
    expect([await page.locator('#action-message').getAttribute('data-status'), await page.locator('#action-message').textContent()]).toEqual(['200', expect.stringMatching(/^campaign web paused/)]);
    expect(await redis.hget(state, 'status')).toBe('paused');
    await page.locator('#campaign-status', { hasText: 'paused' }).waitFor({ timeout: 15_000 });
    await page.locator('#resume').click();
    await page.locator('#campaign-status', { hasText: 'running' }).waitFor({ timeout: 15_000 });
    for (let i = 0; i < 3; i++) c.worker(['--device', 'cpu'], { HYPEREVOLVE_HOST: `gpu-box-${i + 1}` });

    await waitFor(async () => (await redis.hget(state, 'status')) === 'done', { timeoutMs: 150_000, intervalMs: 250, what: 'campaign web to finish' });
    const recorded = Number(await redis.hget(state, 'recorded'));
    expect(recorded).toBe(15);
    await page.locator('#campaign-status', { hasText: 'done' }).waitFor({ timeout: 15_000 });
    await page.locator(`#fitness-chart[data-points="${recorded}"]`).waitFor({ timeout: 15_000 });
    await page.locator(`#evolve-panels[data-rows="${recorded}"]`).waitFor({ timeout: 20_000 });

    const best = await c.cli(['best', '--name', 'web']);
    expect(best.code).toBe(0);
    const reported = parseBest(best.stdout);
    const fitnessOfBest = yolov5Profile.defaultFitnessWeights.reduce((sum, w, i) => sum + w * (reported.metrics[i] ?? Number.NaN), 0);
    const shown = page.locator('#best-fitness');
    const shownFitness = Number(await shown.getAttribute('data-fitness'));
    expect(Number(await shown.getAttribute('data-generation'))).toBe(reported.generation);
    expect(Math.abs(shownFitness - fitnessOfBest)).toBeLessThan(1e-4);
    expect(await shown.textContent()).toBe(formatG(Number(await redis.hget(state, 'bestFitness')), 0, 5));
    expect(await page.locator('#best-trial').textContent()).toContain(`(gen ${reported.generation})`);

    const evolved = await page.evaluate(async (url) => ((await (await fetch(url)).json()) as { settings: { evolved: string[] } }).settings.evolved.length, `${base}/api/campaigns/web`);
    expect(Number(await page.locator('#evolve-panels').getAttribute('data-panels'))).toBe(evolved);
    expect(await page.locator('#workers-table tbody tr').count()).toBe(3);
    expect(await page.locator('#best-table tbody tr').count()).toBeGreaterThan(20);
    expect(await page.locator('#download-yaml').getAttribute('href')).toBe('/campaigns/web/hyp_evolve.yaml');

    await mkdir(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: join(ARTIFACTS, 'dashboard-campaign.png'), fullPage: true });
    expect(pageErrors).toEqual([]);
    expect(elsewhere).toEqual([]);
  }, 400_000);
});
