// A trial has its own address, and its record reads as a practitioner expects (issue 21, item 9),
// and trials or campaigns compare side by side (item 10):
// /campaigns/:name/trials/:index opens the record at the top of the page; times as dates and
// durations; bookkeeping (pool, draws, poolSize) behind a "details" toggle; the hyps against its
// parents'. Real browser, live cluster.
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { campaignKeys } from '@hyperevolve/contract';
import { formatG } from '@hyperevolve/ga-core';
import { readCampaign } from './support/campaign-data.js';
import { launchChromium } from './support/chromium.js';
import { useClusters } from './support/cluster-fixture.js';
import { serveDashboard } from './support/dashboard-client.js';
import { ROOT } from './support/processes.js';
import { waitFor } from './support/wait-for.js';

const ARTIFACTS = join(ROOT, 'test-artifacts');
const cleanups: (() => Promise<void>)[] = [];
const { redis, cluster } = useClusters();

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => undefined);
});

describe('dashboard: a trial at its own address (live cluster, chromium)', () => {
  it('opens the record at the top, with dates, durations, details behind a toggle and the hyps against the parent; compares trials and campaigns', async () => {
    const c = await cluster('trial-page');
    const { base } = await serveDashboard(c, '127.0.0.1');
    for (let i = 0; i < 2; i++) c.worker(['--device', 'cpu'], { HYPEREVOLVE_HOST: `box-${i + 1}` });
    await c.enqueue(['--name', 'tp', '--generations', '10', '--seed', '8'], ['--epochs', '2', '--duration-ms', '150']);
    await c.enqueue(['--name', 'tp2', '--generations', '3', '--seed', '9'], ['--epochs', '2', '--duration-ms', '150']);
    for (const name of ['tp', 'tp2']) {
      await waitFor(async () => (await redis.hget(campaignKeys(c.prefix, name).state, 'status')) === 'done', { timeoutMs: 240_000, intervalMs: 250, what: `campaign ${name} to finish` });
    }
    const data = await readCampaign(redis, c.prefix, 'tp');
    const child = data.trials.find((t) => t.status === 'succeeded' && t.origin === 'population' && t.parents.length === 1);
    if (child === undefined) throw new Error(`no trial bred from one parent among ${JSON.stringify(data.trials.map((t) => [t.index, t.origin, t.parents]))}`);
    const parent = data.trials[child.parents[0]!]!;
    const changed = Object.keys(child.hyp).filter((name) => child.hyp[name] !== parent.hyp[name]);
    expect(changed.length).toBeGreaterThan(0);

    const { context, close } = await launchChromium({ viewport: { width: 1500, height: 1100 } });
    cleanups.push(close);
    const page = await context.newPage();
    const pageErrors: string[] = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));
    const response = await page.goto(`${base}/campaigns/tp/trials/${child.index}`);
    expect(response?.status()).toBe(200);
    const card = page.locator(`#trial-record-card[data-index="${child.index}"]`);
    await card.waitFor({ timeout: 30_000 });
    // At the top: right under the campaign's head, above every chart.
    const [cardBox, chartBox] = [await card.boundingBox(), await page.locator('#fitness-chart').boundingBox()];
    expect(cardBox!.y).toBeLessThan(chartBox!.y);
    expect(cardBox!.y).toBeLessThan(400);

    // Times as dates and durations, numbers as people read them, the exact value kept beside.
    const field = (name: string) => page.locator(`#trial-record dd[data-field="${name}"]`);
    expect(await field('finishedAt').locator('time').getAttribute('datetime')).toBe(new Date(Number(child.raw.finishedAt)).toISOString());
    expect(await field('finishedAt').textContent()).not.toMatch(/^\d+$/);
    expect(await field('durationMs').textContent()).toMatch(/^\d+s$/);
    expect(await field('fitness').getAttribute('data-value')).toBe(String(Number(child.raw.fitness)));
    expect((await field('fitness').textContent())!.replace(/^0\./, '').length).toBeLessThanOrEqual(6);
    expect(await field('parents').locator('a').getAttribute('href')).toBe(`/campaigns/tp/trials/${parent.index}`);

    // Bookkeeping behind the "details" toggle.
    const pool = page.locator('#trial-record-details dd[data-field="pool"]');
    expect(await pool.isVisible()).toBe(false);
    expect(await page.locator('#trial-record dd[data-field="pool"]').count()).toBe(0);
    await page.locator('#trial-details summary').click();
    await pool.waitFor({ timeout: 5_000 });
    expect(await pool.textContent()).toBe(child.pool.join(' '));
    expect(await page.locator('#trial-record-details dd[data-field="draws"]').isVisible()).toBe(true);

    // The hyps against the parent: exactly the changed ones marked, the parent's value beside.
    const marked = await page.locator('#trial-hyps tr.changed').evaluateAll((rows: unknown[]) => rows.map((row) => (row as { getAttribute(n: string): string | null }).getAttribute('data-hyp')));
    expect(marked.sort()).toEqual([...changed].sort());
    expect(await page.locator('#trial-hyps-summary').textContent()).toBe(`${changed.length} of ${Object.keys(child.hyp).length} changed from trial #${parent.index}`);
    await mkdir(ARTIFACTS, { recursive: true });
    await card.screenshot({ path: join(ARTIFACTS, 'dashboard-trial-record.png') });

    // A row of the table opens its trial's address; back closes it again.
    await page.locator('#trial-record-close').click();
    await page.waitForURL(`${base}/campaigns/tp`);
    expect(await card.isHidden()).toBe(true);
    await page.locator(`#trials-table tbody tr[data-index="${parent.index}"] td`).first().click();
    await page.waitForURL(`${base}/campaigns/tp/trials/${parent.index}`);
    await page.locator(`#trial-record-card[data-index="${parent.index}"]`).waitFor({ timeout: 15_000 });
    await page.goBack();
    await page.waitForURL(`${base}/campaigns/tp`);
    await page.locator('#trial-record-card').waitFor({ state: 'hidden', timeout: 15_000 });

    // Item 10: two trials side by side (tick them in the table), then two campaigns (their best trials).
    expect(await page.locator('#compare-trials').isDisabled()).toBe(true);
    for (const index of [parent.index, child.index]) await page.locator(`#trials-table input[data-compare="${index}"]`).check();
    await page.locator('#compare-trials').click();
    await page.waitForURL(`${base}/compare?t=tp%3A${parent.index}&t=tp%3A${child.index}`);
    await page.locator('#compare-curves[data-series="2"]').waitFor({ timeout: 30_000 });
    const differs = await page.locator('#compare-hyps tr.differs').evaluateAll((rows: unknown[]) => rows.map((row) => (row as { getAttribute(n: string): string | null }).getAttribute('data-hyp')));
    expect(differs.sort()).toEqual([...changed].sort());
    const fitnessRow = await page.locator('#compare-summary tr[data-row="fitness"] td').allTextContents();
    expect(fitnessRow).toEqual(['fitness', formatG(parent.fitness, 0, 5), formatG(child.fitness, 0, 5)]);
    await page.locator('#compare').screenshot({ path: join(ARTIFACTS, 'dashboard-compare-trials.png') });
    await page.goto(`${base}/`);
    for (const name of ['tp', 'tp2']) await page.locator(`#campaigns-table input[data-compare="${name}"]`).check();
    await page.locator('#compare-campaigns').click();
    await page.waitForURL(`${base}/compare?c=tp&c=tp2`);
    await page.locator('#compare-curves[data-series="2"]').waitFor({ timeout: 30_000 });
    const bests = await Promise.all(['tp', 'tp2'].map(async (name) => ({ trial: await redis.hget(campaignKeys(c.prefix, name).state, 'bestTrial'), fitness: Number(await redis.hget(campaignKeys(c.prefix, name).state, 'bestFitness')) })));
    expect(await page.locator('#compare-summary thead th').allTextContents()).toEqual(['', `tp (best: #${bests[0]!.trial})`, `tp2 (best: #${bests[1]!.trial})`]);
    expect(await page.locator('#compare-summary tr[data-row="fitness"] td').allTextContents()).toEqual(['fitness', ...bests.map((b) => formatG(b.fitness, 0, 5))]);
    expect(pageErrors).toEqual([]);
  }, 400_000);
});
