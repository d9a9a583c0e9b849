import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import { type BrowserContext, type Page } from 'playwright-core';
import { chartSeries } from './support/chart-series.js';
import { launchChromium } from './support/chromium.js';
import { afterEach, describe, expect, it } from 'vitest';
import { campaignKeys, TRIALS_QUEUE, trialJobId } from '@hyperevolve/contract';
import { readCampaign } from './support/campaign-data.js';
import { useClusters } from './support/cluster-fixture.js';
import { http, serveDashboard } from './support/dashboard-client.js';
import { ROOT } from './support/processes.js';
import { waitFor } from './support/wait-for.js';

const ARTIFACTS = join(ROOT, 'test-artifacts');
const cleanups: (() => Promise<void>)[] = [];
const { redis, cluster } = useClusters();

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => undefined);
});

async function browser(): Promise<BrowserContext> {
  const { context, close } = await launchChromium({ viewport: { width: 1500, height: 1100 } });
  cleanups.push(close);
  return context;
}

/** The trial the table shows on top now. */
async function firstShown(page: Page): Promise<number> {
  return Number(await page.locator('#trials-table tbody tr').first().getAttribute('data-index'));
}

/** Types into a column's filter box (status and log have a choice instead). */
async function filter(page: Page, key: string, value: string): Promise<void> {
  const box = page.locator(`#trials-table [data-filter="${key}"]`);
  if (key === 'status' || key === 'log') await box.selectOption(value);
  else await box.fill(value);
}

async function shownCount(page: Page): Promise<number> {
  return Number(await page.locator('#trials-table').getAttribute('data-rows'));
}

describe('dashboard: every trial in a table, and what matters (real browser, live cluster)', () => {
  it('sorts and filters the trials table by each kind of column, opens a trial\'s record in one click, plots hyps against fitness and ranks the hyps', async () => {
    const c = await cluster('trials-web');
    const { base } = await serveDashboard(c, '127.0.0.1');
    for (let i = 0; i < 3; i++) c.worker(['--device', 'cpu'], { HYPEREVOLVE_HOST: `box-${i + 1}` });
    await c.enqueue(['--name', 'tbl', '--generations', '24', '--seed', '5'], ['--epochs', '2', '--duration-ms', '150']);
    const keys = campaignKeys(c.prefix, 'tbl');
    // A trial that never ran: a job whose command is not the campaign's is refused before it starts.
    await redis.hset(keys.trial(900), { index: 900, status: 'queued', hyp: '{"lr0":0.01}' });
    const trialsQueue = new Queue(TRIALS_QUEUE, { connection: redis, prefix: c.prefix });
    try {
      await trialsQueue.add('trial', { v: 1, campaign: 'tbl', index: 900, hyp: { lr0: 0.01 }, adapter: 'generic', timeoutMs: null, fastTrials: true, command: ['/bin/false'] },
        { jobId: trialJobId('tbl', 900), attempts: 1, removeOnFail: false });
    } finally {
      await trialsQueue.close();
    }
    await waitFor(async () => (await redis.hget(keys.state, 'status')) === 'done', { timeoutMs: 240_000, intervalMs: 250, what: 'campaign tbl to finish' });

    await waitFor(async () => (await redis.hget(keys.trial(900), 'status')) === 'failed', { timeoutMs: 60_000, what: 'the refused trial to be recorded failed' });
    const refusedLog = await http(`${base}/campaigns/tbl/trials/900/log`);
    expect(refusedLog.status).toBe(404);
    expect(refusedLog.text).toMatch(/never ran/);

    const data = await readCampaign(redis, c.prefix, 'tbl');
    const issued = Number(await redis.hget(keys.state, 'nextIndex'));
    const inTable = data.trials.filter((t) => t.index < issued);
    const succeeded = inTable.filter((t) => t.status === 'succeeded');
    const fitnessOf = (t: (typeof data.trials)[number]): number => Number(t.raw.fitness);
    const bestTrial = Number(await redis.hget(keys.state, 'bestTrial'));

    const context = await browser();
    const page = await context.newPage();
    const pageErrors: string[] = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await page.goto(`${base}/campaigns/tbl`);
    await page.locator(`#trials-table[data-total="${issued}"]`).waitFor({ timeout: 30_000 });
    expect(await shownCount(page)).toBe(issued);
    // Newest first by default.
    expect(await firstShown(page)).toBe(issued - 1);

    // Sort by fitness: the best trial on top; again: the worst succeeded one on top.
    await page.locator('#trials-table th[data-key="fitness"]').click();
    expect(await firstShown(page)).toBe(bestTrial);
    expect(await page.locator('#trials-table th[data-key="fitness"]').getAttribute('aria-sort')).toBe('descending');
    await page.locator('#trials-table th[data-key="fitness"]').click();
    const worst = succeeded.reduce((a, b) => (fitnessOf(b) < fitnessOf(a) ? b : a));
    expect(await firstShown(page)).toBe(worst.index);

    // Filters: status, fitness, a hyp, a metric, duration, worker, log; each matches Redis.
    const median = [...succeeded.map(fitnessOf)].sort((a, b) => a - b)[Math.floor(succeeded.length / 2)]!;
    await filter(page, 'fitness', `>=${median}`);
    expect(await shownCount(page)).toBe(succeeded.filter((t) => fitnessOf(t) >= median).length);
    await filter(page, 'fitness', '');
    await filter(page, 'status', 'succeeded');
    expect(await shownCount(page)).toBe(succeeded.length);
    const lr0 = succeeded.map((t) => (JSON.parse(t.raw.hyp ?? '{}') as Record<string, number>).lr0!).sort((a, b) => a - b);
    const [low, high] = [lr0[2]!, lr0[lr0.length - 3]!];
    await filter(page, 'h:lr0', `${low}..${high}`);
    expect(await shownCount(page)).toBe(lr0.filter((v) => v >= low && v <= high).length);
    await filter(page, 'h:lr0', '');
    const map = succeeded.map((t) => (JSON.parse(t.raw.metrics ?? '{}') as Record<string, number>)['metrics/mAP_0.5:0.95']!);
    const mapCut = [...map].sort((a, b) => a - b)[Math.floor(map.length / 3)]!;
    await filter(page, 'm:metrics/mAP_0.5:0.95', `<${mapCut}`);
    expect(await shownCount(page)).toBe(map.filter((v) => v < mapCut).length);
    await filter(page, 'm:metrics/mAP_0.5:0.95', '');
    await filter(page, 'duration', '>0');
    expect(await shownCount(page)).toBe(succeeded.length);
    await filter(page, 'duration', '');
    await filter(page, 'worker', 'box-2');
    expect(await shownCount(page)).toBe(succeeded.filter((t) => t.raw.host === 'box-2').length);
    await filter(page, 'worker', '');
    await filter(page, 'log', 'yes');
    expect(await shownCount(page)).toBe(succeeded.length);
    await filter(page, 'status', '');
    await filter(page, 'log', '');
    expect(await shownCount(page)).toBe(issued);

    // One click on a row: its record.
    await page.locator(`#trials-table tbody tr[data-index="${bestTrial}"] td`).first().click();
    await page.locator(`#trial-record-card[data-index="${bestTrial}"]`).waitFor({ timeout: 10_000 });
    expect(Number(await page.locator('#trial-record dd[data-field="fitness"]').getAttribute('data-value'))).toBe(Number(await redis.hget(keys.trial(bestTrial), 'fitness')));
    expect(await page.locator('#trial-record-log').isHidden()).toBe(false);
    expect(await page.locator('#trials-table tbody tr.selected').getAttribute('data-index')).toBe(String(bestTrial));
    // …with its curve: trials run with --noval validate only their last epoch, so one point, the trial's fitness.
    const curve = (await http(`${base}/api/campaigns/tbl/trials/${bestTrial}/curve`)).json() as { runs: { points: { epoch: number; fitness: number | null }[] }[] };
    expect(curve.runs.map((r) => r.points.map((p) => p.epoch))).toEqual([[1, 2]]);
    expect(curve.runs[0]?.points[0]?.fitness).toBeNull();
    expect(curve.runs[0]?.points[1]?.fitness).toBeCloseTo(Number(await redis.hget(keys.trial(bestTrial), 'fitness')), 9);
    await page.locator(`#trial-curve[data-index="${bestTrial}"][data-series="1"][data-points="1"]`).waitFor({ timeout: 10_000 });
    expect(await chartSeries(page, '#trial-curve')).toEqual([[`trial ${bestTrial}`, 1]]);

    // The refused trial in the failures table: no log link.
    const refusedRow = page.locator('#failures-table tbody tr', { has: page.locator('td:first-child', { hasText: /^900$/ }) });
    await refusedRow.waitFor({ timeout: 10_000 });
    expect(await refusedRow.locator('a', { hasText: 'log' }).count()).toBe(0);

    // The fitness chart by trial number.
    await page.locator('#fitness-axis').selectOption('trial');
    await page.locator(`#fitness-chart[data-axis="trial"][data-points="${succeeded.length}"]`).waitFor({ timeout: 10_000 });

    // Parallel coordinates: one line per recorded trial; axes: the most important evolved hyps and fitness.
    const importance = await page.evaluate(async (url) => (await (await fetch(url)).json()) as { trials: number; hyps: { name: string; importance: number; distinct: number }[] | null }, `${base}/api/campaigns/tbl/importance`);
    expect(importance.trials).toBe(succeeded.length);
    expect(importance.hyps).not.toBeNull();
    const evolved = importance.hyps!.length;
    await page.locator(`#parallel-chart[data-lines="${succeeded.length}"]`).waitFor({ timeout: 15_000 });
    // Axes: the hyps that explain some of the fitness (importance > 0), or, while none does, those that moved; 12 at most.
    const explaining = importance.hyps!.filter((h) => h.importance > 0).length;
    const moved = importance.hyps!.filter((h) => h.distinct > 1).length;
    expect(Number(await page.locator('#parallel-chart').getAttribute('data-axes'))).toBe(Math.min(12, explaining > 0 ? explaining : moved) + 1);
    await page.locator(`#importance-table[data-hyps="${evolved}"]`).waitFor({ timeout: 15_000 });
    expect(await page.locator('#importance-table tbody tr').first().getAttribute('data-hyp')).toBe(importance.hyps![0]!.name);
    expect(importance.hyps!.reduce((sum, h) => sum + h.importance, 0)).toBeCloseTo(1, 6);

    await mkdir(ARTIFACTS, { recursive: true });
    await page.locator('#trial-record-close').click();
    await filter(page, 'status', 'succeeded');
    await page.locator('#trials-table th[data-key="fitness"]').click();
    await page.evaluate('document.querySelector(".table-scroll").scrollTo(0, 0)');
    await page.locator('#trials-table').locator('xpath=ancestor::div[contains(@class,"card")]').screenshot({ path: join(ARTIFACTS, 'dashboard-trials-table.png') });
    await page.locator('#parallel-chart').locator('xpath=ancestor::div[contains(@class,"card")][1]').screenshot({ path: join(ARTIFACTS, 'dashboard-parallel-importance.png') });
    expect(pageErrors).toEqual([]);
  }, 400_000);
});
