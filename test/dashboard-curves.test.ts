// The dashboard draws the per-epoch curves of the trials running now, live, and the curve of any
// trial, whatever its status (issue 15, item 1): the API against real workers running sim-train,
// and the page in a real browser.
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { campaignKeys } from '@hyperevolve/contract';
import { chartMarkLines, chartSeries } from './support/chart-series.js';
import { launchChromium } from './support/chromium.js';
import { useClusters } from './support/cluster-fixture.js';
import { http, serveDashboard } from './support/dashboard-client.js';
import { ROOT } from './support/processes.js';
import { waitFor } from './support/wait-for.js';

const ARTIFACTS = join(ROOT, 'test-artifacts');
const EPOCHS = 8;
const cleanups: (() => Promise<void>)[] = [];
const { redis, cluster } = useClusters();

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => undefined);
});

interface Point { epoch: number; fitness: number | null; at: number; metrics?: Record<string, number | null> | null }
interface RunningCurves { rungs: number[]; trials: { index: number; run: string; epochs: number | null; points: Point[] }[] }
interface TrialCurve {
  index: number;
  status: string;
  rungs: number[];
  pruned: { rung: number; fitness: number | null; cut: number | null } | null;
  runs: { run: string; epochs: number | null; points: Point[] }[];
}

async function getJson<T>(url: string): Promise<T> {
  const reply = await http(url);
  if (reply.status !== 200) throw new Error(`${url}: HTTP ${reply.status} ${reply.text}`);
  return reply.json() as T;
}

describe('dashboard: learning curves (live cluster)', () => {
  it("serves each running trial's curve as it grows and draws one line per running trial, then any trial's own curve", async () => {
    const c = await cluster('curves');
    const { base } = await serveDashboard(c, '127.0.0.1');
    const api = `${base}/api/campaigns/cur`;
    // Rungs to draw; two trials never prune (a rung needs five peers), so both run every epoch.
    await c.enqueue(['--name', 'cur', '--generations', '2', '--seed', '9', '--full-trials', '--prune', 'median', '--prune-rungs', '3,6'], ['--epochs', String(EPOCHS), '--duration-ms', String(EPOCHS * 2500)]);
    c.worker(['--device', 'cpu'], { HYPEREVOLVE_HOST: 'box-1' });
    c.worker(['--device', 'cpu'], { HYPEREVOLVE_HOST: 'box-2' });

    const { context, close } = await launchChromium({ viewport: { width: 1400, height: 1000 } });
    cleanups.push(close);
    const page = await context.newPage();
    const pageErrors: string[] = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await page.goto(`${base}/campaigns/cur`);

    // A running trial's curve: epochs 1..e of its current run, fitness by the campaign's weights.
    let rungs: number[] = [];
    const first = await waitFor(async () => {
      const reply = await getJson<RunningCurves>(`${api}/curves`);
      rungs = reply.rungs;
      return reply.trials.find((t) => t.points.length >= 1 && t.points.length < EPOCHS - 1);
    }, { timeoutMs: 180_000, intervalMs: 200, what: 'a running trial with its first epochs on /curves' });
    expect(rungs).toEqual([3, 6]);
    expect(first.run).toBe(`${first.index}-1`);
    expect(first.epochs).toBe(EPOCHS);
    expect(first.points.map((p) => p.epoch)).toEqual(first.points.map((_p, i) => i + 1));
    for (const p of first.points) {
      expect(p.fitness).toBeGreaterThan(0);
      expect(p.metrics).toBeUndefined();
    }
    // …and it grows while the trial runs.
    const grown = await waitFor(async () => {
      const reply = await getJson<RunningCurves>(`${api}/curves`);
      const now = reply.trials.find((t) => t.index === first.index);
      if (now === undefined) throw new Error(`trial ${first.index} left the running trials at ${first.points.length} epochs seen`);
      return now.points.length > first.points.length ? now : undefined;
    }, { timeoutMs: 120_000, intervalMs: 200, what: `trial ${first.index}'s curve to grow past ${first.points.length} epochs` });
    expect(grown.points.slice(0, first.points.length)).toEqual(first.points);
    // The same trial's own curve carries each epoch's metrics.
    const running = await getJson<TrialCurve>(`${api}/trials/${first.index}/curve`);
    expect(running.status).toBe('running');
    expect(running.runs[0]?.points[0]?.metrics?.['metrics/mAP_0.5:0.95']).toBeGreaterThan(0);

    // The page: one line per running trial with an epoch, as many points as the API has.
    const keys = campaignKeys(c.prefix, 'cur');
    const both = await waitFor(async () => {
      const reply = await getJson<RunningCurves>(`${api}/curves`);
      const drawn = reply.trials.filter((t) => t.points.length > 0).map((t) => t.index).join(',');
      const shown = await page.locator('#curves-chart').getAttribute('data-trials');
      return reply.trials.length === 2 && drawn === shown ? reply : undefined;
    }, { timeoutMs: 120_000, intervalMs: 500, what: 'the running-trials chart to draw both running trials' });
    const lines = await chartSeries(page, '#curves-chart');
    expect(lines.map(([name]) => name)).toEqual(both.trials.map((t) => `trial ${t.index}`));
    for (const [, points] of lines) expect(points).toBeGreaterThanOrEqual(1);
    expect(await chartMarkLines(page, '#curves-chart')).toEqual([3, 6]);
    const drawnPoints = Number(await page.locator('#curves-chart').getAttribute('data-points'));
    // It is live: more points appear without a reload.
    await waitFor(async () => Number(await page.locator('#curves-chart').getAttribute('data-points')) > drawnPoints, { timeoutMs: 120_000, intervalMs: 250, what: 'the running-trials chart to draw a newer epoch' });
    // A running trial's record draws its curve and keeps it growing, to its last epoch once it ends.
    await page.locator(`#trials-table tbody tr[data-index="${first.index}"] td`).first().click();
    const opened = page.locator(`#trial-curve[data-index="${first.index}"]`);
    await opened.waitFor({ timeout: 30_000 });
    const openedPoints = Number(await opened.getAttribute('data-points'));
    expect(openedPoints).toBeGreaterThanOrEqual(1);
    // (A machine too busy to click before the trial's last epoch has nothing newer to wait for.)
    if (openedPoints < EPOCHS) {
      await waitFor(async () => Number(await opened.getAttribute('data-points')) > openedPoints, { timeoutMs: 120_000, intervalMs: 250, what: `trial ${first.index}'s record to draw a newer epoch` });
    }
    await mkdir(ARTIFACTS, { recursive: true });
    await page.locator('#curves-chart').locator('xpath=ancestor::div[contains(@class,"card")][1]').screenshot({ path: join(ARTIFACTS, 'dashboard-running-curves.png') });

    // Done: nothing runs, the chart has no lines, and each trial keeps its whole curve.
    await waitFor(async () => (await redis.hget(keys.state, 'status')) === 'done', { timeoutMs: 240_000, intervalMs: 250, what: 'campaign cur to finish' });
    expect((await getJson<RunningCurves>(`${api}/curves`)).trials).toEqual([]);
    await page.locator('#curves-chart[data-series="0"]').waitFor({ state: 'attached', timeout: 30_000 });
    expect(await chartSeries(page, '#curves-chart')).toEqual([]);
    // …and the panel goes: a finished campaign shows no empty "Running trials" box.
    await page.locator('#running-card').waitFor({ state: 'hidden', timeout: 15_000 });
    const done = await getJson<TrialCurve>(`${api}/trials/${first.index}/curve`);
    expect(done).toMatchObject({ index: first.index, status: 'succeeded', rungs: [3, 6], pruned: null });
    expect(done.runs.map((r) => [r.run, r.epochs, r.points.length])).toEqual([[`${first.index}-1`, EPOCHS, EPOCHS]]);
    // The last epoch's fitness is the trial's: the same metrics, the same fitness definition.
    expect(done.runs[0]?.points.at(-1)?.fitness).toBeCloseTo(Number(await redis.hget(keys.trial(first.index), 'fitness')), 9);

    // A pruned trial keeps its curve up to the rung, each run a line, and says where it stopped.
    const entry = (run: string, epoch: number, fitness: number): string => JSON.stringify({ run, epoch, epochs: EPOCHS, fitness, at: Date.now() });
    await redis.hset(keys.trial(40), { index: 40, status: 'pruned', hyp: '{"lr0":0.01}', runName: '40-2', prunedRung: 3, prunedFitness: 0.3, pruneCut: 0.35 });
    await redis.rpush(keys.curve(40), entry('40-1', 1, 0.1), entry('40-2', 1, 0.2), entry('40-2', 2, 0.25), entry('40-2', 3, 0.3));
    const early = await getJson<TrialCurve>(`${api}/trials/40/curve`);
    expect(early).toMatchObject({ status: 'pruned', rungs: [3, 6], pruned: { rung: 3, fitness: 0.3, cut: 0.35 } });
    expect(early.runs.map((r) => [r.run, r.points.map((p) => p.fitness)])).toEqual([['40-1', [0.1]], ['40-2', [0.2, 0.25, 0.3]]]);

    // The record opened while it ran now has the whole curve; and so does one opened after it ended.
    await page.locator(`#trial-curve[data-index="${first.index}"][data-series="1"][data-points="${EPOCHS}"]`).waitFor({ timeout: 30_000 });
    const other = both.trials.find((t) => t.index !== first.index)!.index;
    await page.locator(`#trials-table tbody tr[data-index="${other}"] td`).first().click();
    await page.locator(`#trial-curve[data-index="${other}"][data-series="1"][data-points="${EPOCHS}"]`).waitFor({ timeout: 15_000 });
    expect(await chartSeries(page, '#trial-curve')).toEqual([[`trial ${other}`, EPOCHS]]);
    await page.locator(`#trials-table tbody tr[data-index="${first.index}"] td`).first().click();
    await page.locator(`#trial-curve[data-index="${first.index}"][data-series="1"][data-points="${EPOCHS}"]`).waitFor({ timeout: 15_000 });
    expect(await chartSeries(page, '#trial-curve')).toEqual([[`trial ${first.index}`, EPOCHS]]);

    // Clear answers for what does not exist.
    expect((await http(`${base}/api/campaigns/nope/curves`)).status).toBe(404);
    const noTrial = await http(`${api}/trials/999/curve`);
    expect([noTrial.status, noTrial.json()]).toEqual([404, { error: 'campaign cur has no trial 999' }]);
    expect((await http(`${base}/api/campaigns/nope/trials/0/curve`)).status).toBe(404);
    expect((await http(`${api}/trials/-1/curve`)).status).toBe(400);
    expect(pageErrors).toEqual([]);
  }, 600_000);
});
