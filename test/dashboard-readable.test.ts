// A finished campaign's page reads as a practitioner expects (issue 21, items 8, 11 and 12):
// numbers with 5 significant digits everywhere, panels that fit the campaign's state, and the
// curves of its best finished trials with the pruned ones faded. Real browser, live cluster.
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterEach, describe, expect, it } from 'vitest';
import { campaignKeys } from '@hyperevolve/contract';
import { formatG } from '@hyperevolve/ga-core';
import { chartMarkLines, chartSeries } from './support/chart-series.js';
import { launchChromium } from './support/chromium.js';
import { useClusters } from './support/cluster-fixture.js';
import { http, serveDashboard } from './support/dashboard-client.js';
import { ROOT } from './support/processes.js';
import { waitFor } from './support/wait-for.js';

const ARTIFACTS = join(ROOT, 'test-artifacts');
const cleanups: (() => Promise<void>)[] = [];
const { redis, cluster } = useClusters();
const five = (value: number): string => formatG(value, 0, 5);

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => undefined);
});

/** What the page's globals offer (the tests compile without the DOM's types). */
interface Globals {
  document: { querySelector(selector: string): object | null };
  echarts: { getInstanceByDom(node: object): { getOption(): Record<string, unknown[]> } | undefined };
}

/** Calls a chart's formatter on the page: `part` e.g. 'yAxis', `path` 'axisLabel' or '' for the part's own formatter. */
async function formatted(page: Page, selector: string, part: string, value: number): Promise<unknown> {
  return page.evaluate(({ selector, part, value }) => {
    const { document, echarts } = globalThis as unknown as Globals;
    const node = document.querySelector(selector);
    const option = node === null ? undefined : echarts.getInstanceByDom(node)?.getOption();
    const first = option?.[part]?.[0] as { axisLabel?: { formatter?: unknown }; formatter?: unknown } | undefined;
    const formatter = part === 'visualMap' ? first?.formatter : first?.axisLabel?.formatter;
    return typeof formatter === 'function' ? (formatter as (v: number) => string)(value) : `no formatter on ${part}`;
  }, { selector, part, value });
}

describe('dashboard: a finished campaign as people read it (live cluster, chromium)', () => {
  it('prints fitness with 5 significant digits everywhere, fits its panels to the state, names its axes in full, and draws the best finished curves', async () => {
    const c = await cluster('readable');
    const { base } = await serveDashboard(c, '127.0.0.1');
    // A cancelled campaign whose bred trials never ran: it has trials in flight, none waiting.
    await c.enqueue(['--name', 'stop', '--generations', '20', '--seed', '3']);
    const stopKeys = campaignKeys(c.prefix, 'stop');
    await waitFor(async () => (await redis.scard(stopKeys.inflight)) > 0, { timeoutMs: 60_000, what: 'a bred trial of campaign stop' });
    expect((await c.cli(['cancel', '--name', 'stop'])).code).toBe(0);

    // Fitness near 0.03: 5 decimals (0.03243) and 5 significant digits (0.032433) differ. asha keeps the top
    // third at a rung, so some trials are pruned whatever the workers' timing (median pruned none in one CI run).
    await c.enqueue(['--name', 'num', '--generations', '16', '--seed', '5', '--fitness-weights', '0,0,0.01,0.09', '--full-trials', '--prune', 'asha'],
      ['--epochs', '4', '--duration-ms', '1600', '--rank-correlation', '0.6']);
    for (let i = 0; i < 3; i++) c.worker(['--device', 'cpu'], { HYPEREVOLVE_HOST: `box-${i + 1}` });
    const keys = campaignKeys(c.prefix, 'num');
    await waitFor(async () => (await redis.hget(keys.state, 'status')) === 'done', { timeoutMs: 300_000, intervalMs: 250, what: 'campaign num to finish' });
    const bestFitness = Number(await redis.hget(keys.state, 'bestFitness'));
    expect(bestFitness).toBeLessThan(0.1);
    expect(five(bestFitness)).not.toBe(bestFitness.toFixed(5));

    await mkdir(ARTIFACTS, { recursive: true });
    const { context, close } = await launchChromium({ viewport: { width: 1500, height: 1100 } });
    cleanups.push(close);
    const page = await context.newPage();
    const pageErrors: string[] = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));

    // 11: the overview, the head, the table, the axes and the colour bar: 5 significant digits.
    await page.goto(`${base}/`);
    const overviewBest = page.locator('#campaigns-table tbody tr', { has: page.locator('a', { hasText: /^num$/ }) }).locator('td').nth(3);
    await overviewBest.waitFor({ timeout: 30_000 });
    expect(await overviewBest.textContent()).toBe(five(bestFitness));
    await page.goto(`${base}/campaigns/num`);
    await page.locator('#campaign-status', { hasText: 'done' }).waitFor({ timeout: 30_000 });
    expect(await page.locator('#best-fitness').textContent()).toBe(five(bestFitness));
    await page.locator(`#trials-table[data-total="${await redis.hget(keys.state, 'nextIndex')}"]`).waitFor({ timeout: 30_000 });
    await page.locator('#trials-table th[data-key="fitness"]').click();
    const shownFitness = await page.locator('#trials-table tbody tr').first().locator('td').nth(2).textContent();
    expect(shownFitness).toBe(five(bestFitness));
    await page.locator('#parallel-chart[data-lines="16"]').waitFor({ timeout: 30_000 });
    expect(await formatted(page, '#fitness-chart', 'yAxis', 0.07193260000000001)).toBe('0.071933');
    expect(await formatted(page, '#parallel-chart', 'visualMap', 0.07193260000000001)).toBe('0.071933');
    expect(await formatted(page, '#parallel-chart', 'parallelAxis', 0.07193260000000001)).toBe('0.071933');
    // …and `status`, and pruned.csv.
    expect((await c.cli(['status', '--name', 'num'])).stdout).toContain(`best ${five(bestFitness)} (trial `);
    // The last export may still be under way once the campaign is done: wait until pruned.csv lists every pruned trial.
    const prunedSoFar = Number(await redis.hget(keys.state, 'pruned'));
    const prunedCsv = await waitFor(async () => {
      const text = await readFile(join(c.outDir, 'num', 'pruned.csv'), 'utf8').catch(() => '');
      return text.trimEnd().split('\n').length >= prunedSoFar + 1 ? text : undefined;
    }, { timeoutMs: 20_000, what: `pruned.csv to list the ${prunedSoFar} pruned trials` });
    const cells = prunedCsv.trimEnd().split('\n').slice(1).flatMap((line) => line.split(',').slice(3, 5));
    for (const cell of cells) expect(cell).toBe(five(Number(cell)));

    // 12: nothing runs on a finished campaign, so no empty "Running trials" box; no action but none.
    await page.locator('#running-card').waitFor({ state: 'hidden', timeout: 15_000 });
    for (const button of ['#pause', '#resume', '#cancel']) expect(await page.locator(button).isDisabled()).toBe(true);
    // The note over the parallel chart says how its axes were chosen, and they are: each explains some fitness.
    const axes = Number(await page.locator('#parallel-chart').getAttribute('data-axes')) - 1;
    const summary = await page.locator('#importance-summary').textContent();
    expect(summary).toMatch(new RegExp(`the ${axes} (most important )?of the \\d+ evolved hyps`));
    await page.locator('#importance-table tbody tr').first().waitFor({ timeout: 15_000 });
    type Row = { getAttribute(name: string): string | null; children: ArrayLike<{ textContent: string | null }> };
    const shares = new Map(await page.locator('#importance-table tbody tr').evaluateAll((rows: unknown[]) =>
      (rows as Row[]).map((row) => [row.getAttribute('data-hyp') ?? '', Number.parseFloat(row.children[2]?.textContent ?? '')] as [string, number])));
    // Axis names are drawn in full (SVG text the page holds), never shortened with an ellipsis.
    const names = await page.locator('#parallel-chart svg text').allTextContents();
    const drawnAxes = [...shares.keys()].filter((hyp) => names.includes(hyp));
    expect(drawnAxes).toHaveLength(axes);
    for (const hyp of drawnAxes) expect(shares.get(hyp)).toBeGreaterThan(0);
    expect(names.filter((text) => /(\.\.\.|…)$/.test(text))).toEqual([]);

    // 8: the best finished trials' curves on one chart, the pruned ones faded, with the rungs.
    const bestTrial = Number(await redis.hget(keys.state, 'bestTrial'));
    const prunedCount = Number(await redis.hget(keys.state, 'pruned'));
    expect(prunedCount).toBeGreaterThan(0);
    const rungs = (await http(`${base}/api/campaigns/num/finished-curves`)).json() as { rungs: number[] };
    expect(rungs.rungs.length).toBeGreaterThan(0);
    // The chart draws the best 10 and the latest 10 pruned (how many a campaign prunes depends on the workers' timing).
    const prunedDrawn = Math.min(10, prunedCount);
    await page.locator(`#finished-curves[data-series="${10 + prunedDrawn}"]`).waitFor({ timeout: 30_000 });
    const lines = await chartSeries(page, '#finished-curves');
    expect(lines[0]).toEqual([`trial ${bestTrial}`, 4]);
    expect(lines.filter(([name]) => name.endsWith('(pruned)'))).toHaveLength(prunedDrawn);
    // A finished trial's whole run; a pruned one's up to the rung it was stopped at.
    for (const [name, points] of lines) {
      if (name.endsWith('(pruned)')) expect(points).toBeLessThan(4);
      else expect(points).toBe(4);
    }
    expect(await chartMarkLines(page, '#finished-curves')).toEqual(rungs.rungs);
    const opacities = await page.evaluate(() => {
      const { document, echarts } = globalThis as unknown as Globals;
      const node = document.querySelector('#finished-curves');
      const series = (node === null ? undefined : echarts.getInstanceByDom(node)?.getOption().series) as { name: string; lineStyle?: { opacity?: number } }[] | undefined;
      return (series ?? []).map((s) => [s.name, s.lineStyle?.opacity ?? 1] as [string, number]);
    });
    for (const [name, opacity] of opacities) expect(opacity < 1).toBe(name.endsWith('(pruned)'));
    await page.locator('#finished-top').selectOption('5');
    await page.locator(`#finished-curves[data-series="${5 + Math.min(5, prunedCount)}"]`).waitFor({ timeout: 15_000 });
    await page.locator('#finished-card').screenshot({ path: join(ARTIFACTS, 'dashboard-finished-curves.png') });

    // 12: a cancelled campaign shows no trial waiting, though its bred ones are still in flight.
    expect(await redis.scard(stopKeys.inflight)).toBeGreaterThan(0);
    await page.goto(`${base}/campaigns/stop`);
    await page.locator('#campaign-status', { hasText: 'cancelled' }).waitFor({ timeout: 30_000 });
    await page.locator('body[data-updated]').waitFor({ state: 'attached', timeout: 15_000 });
    expect(await page.locator('#waiting').textContent()).toBe('-');
    expect(await page.locator('#cancel').isDisabled()).toBe(true);

    await page.goto(`${base}/campaigns/num`);
    await page.locator('#parallel-chart[data-lines="16"]').waitFor({ timeout: 30_000 });
    await page.screenshot({ path: join(ARTIFACTS, 'dashboard-finished-campaign.png'), fullPage: true });
    await page.locator('#parallel-chart').locator('xpath=ancestor::div[contains(@class,"card")][1]').screenshot({ path: join(ARTIFACTS, 'dashboard-finished-parallel.png') });
    await page.locator('#campaign .head').screenshot({ path: join(ARTIFACTS, 'dashboard-finished-head.png') });
    expect(pageErrors).toEqual([]);
  }, 500_000);
});
