// A pruning campaign end to end (issue 15, item 3): real serve, two real workers, sim-train's
// learning curves. Trials that fall below the median at the rung stop there; they are never
// parents, never evolve.csv rows, not counted in the budget, and have their own pruned.csv;
// status says how many and what that saved.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { campaignKeys, EpochEntrySchema } from '@hyperevolve/contract';
import { readCampaign } from './support/campaign-data.js';
import { chartSeries } from './support/chart-series.js';
import { launchChromium } from './support/chromium.js';
import { serveDashboard } from './support/dashboard-client.js';
import { useClusters } from './support/cluster-fixture.js';
import { waitFor } from './support/wait-for.js';

const { redis, cluster } = useClusters();
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup().catch(() => undefined);
});

describe('a campaign with --prune median', () => {
  it('stops trials below the median at rung 1; 16 full trials are the budget, pruned ones are out of the GA and evolve.csv', async () => {
    const c = await cluster('prune');
    const { base } = await serveDashboard(c, '127.0.0.1');
    c.worker();
    c.worker();
    // sim-train trains 4 epochs: the default rungs are [1]. Rank correlation 0.6: early luck.
    await c.enqueue(['--name', 'exp', '--generations', '16', '--seed', '5', '--full-trials', '--prune', 'median'], ['--epochs', '4', '--duration-ms', '1600', '--rank-correlation', '0.6']);
    await waitFor(async () => (await redis.hget(`${c.prefix}:c:{exp}:state`, 'status')) === 'done', { timeoutMs: 240_000, intervalMs: 250, what: 'campaign exp to finish' });

    const data = await readCampaign(redis, c.prefix, 'exp');
    const pruned = data.trials.filter((t) => t.status === 'pruned');
    const succeeded = data.trials.filter((t) => t.status === 'succeeded');
    expect(succeeded).toHaveLength(16);
    expect(Number(data.state.recorded)).toBe(16);
    // 5 peers at the rung first, then about half of the rest stop there.
    expect(pruned.length).toBeGreaterThan(0);
    expect(Number(data.state.pruned)).toBe(pruned.length);
    expect(data.trials[0]?.status).toBe('succeeded');

    const prunedIndices = new Set(pruned.map((t) => t.index));
    expect(data.rows.filter((i) => prunedIndices.has(i))).toEqual([]);
    expect(data.trials.flatMap((t) => [...t.parents, ...t.pool]).filter((i) => prunedIndices.has(i))).toEqual([]);
    const keys = campaignKeys(c.prefix, 'exp');
    for (const trial of pruned) {
      expect(trial.raw.prunedRung).toBe('1');
      expect(Number(trial.raw.prunedFitness)).toBeLessThan(Number(trial.raw.pruneCut));
      const curve = (await redis.lrange(keys.curve(trial.index), 0, -1)).map((raw) => EpochEntrySchema.parse(JSON.parse(raw)));
      expect(curve.map((entry) => entry.epoch)).toEqual([1]);
    }

    const csv = await waitFor(async () => {
      const text = await readFile(join(c.outDir, 'exp', 'pruned.csv'), 'utf8').catch(() => '');
      return text.trimEnd().split('\n').length === pruned.length + 1 ? text : undefined;
    }, { timeoutMs: 20_000, what: `pruned.csv to list ${pruned.length} trials` });
    expect(csv.split('\n')[0]).toMatch(/^trial,rung,epochs,fitness,cut,seconds,lr0,lrf,/);
    expect(csv.split('\n').slice(1, -1).map((line) => Number(line.split(',')[0])).sort((a, b) => a - b)).toEqual([...prunedIndices].sort((a, b) => a - b));
    // The last export may still be under way once the campaign is done: wait for its 16 rows, then check there are no more.
    const evolve = await waitFor(async () => {
      const text = await readFile(join(c.outDir, 'exp', 'evolve.csv'), 'utf8').catch(() => '');
      return text.trimEnd().split('\n').length >= 17 ? text : undefined;
    }, { timeoutMs: 20_000, what: 'evolve.csv to hold the 16 full trials' });
    expect(evolve.trimEnd().split('\n')).toHaveLength(17);

    const status = await c.cli(['status', '--json']);
    const view = JSON.parse(status.stdout) as { campaigns: { name: string; pruning: { mode: string; rungs: number[]; pruned: number; savedGpuMs: number; recent: unknown[] } }[] };
    expect(view.campaigns[0]?.pruning).toMatchObject({ mode: 'median', rungs: [1], window: 16, pruned: pruned.length });
    expect(view.campaigns[0]?.pruning.savedGpuMs).toBeGreaterThan(0);
    const latest = pruned.map((t) => t.index).sort((a, b) => Number(data.trials[b]?.raw.finishedAt) - Number(data.trials[a]?.raw.finishedAt))[0];
    expect(view.campaigns[0]?.pruning).toMatchObject({ recent: expect.arrayContaining([expect.objectContaining({ index: latest, rung: 1 })]) });
    expect((await c.cli(['status'])).stdout).toMatch(new RegExp(`pruning median at epochs 1 against the last 16 runs there: ${pruned.length} pruned, ~\\S+ GPU time saved`));

    // /metrics: the pruned trials among the trials by status.
    await waitFor(async () => (await (await fetch(`${base}/metrics`)).text()).includes(`hyperevolve_trials{campaign="exp",status="pruned"} ${pruned.length}\n`), { timeoutMs: 30_000, what: '/metrics to count the pruned trials' });

    // The dashboard: the pruned count with the time saved, and the pruned trials in the table's status filter.
    const { context, close } = await launchChromium();
    cleanups.push(close);
    const page = await context.newPage();
    await page.goto(`${base}/campaigns/exp`);
    await page.locator('#pruning-stats:not([hidden])').waitFor({ timeout: 30_000 });
    expect(await page.locator('#pruned').textContent()).toMatch(new RegExp(`^${pruned.length} \\(~\\S+ GPU saved\\)$`));
    await page.locator('#trials-table [data-filter="status"]').selectOption('pruned');
    await waitFor(async () => Number(await page.locator('#trials-table').getAttribute('data-rows')) === pruned.length, { timeoutMs: 30_000, what: `the table to show the ${pruned.length} pruned trials` });
    // A pruned trial's record: its curve ends at the rung, with the rung and the cut it fell below marked.
    const shownPruned = Number(await page.locator('#trials-table tbody tr').first().getAttribute('data-index'));
    const stopped = pruned.find((t) => t.index === shownPruned)!;
    await page.locator('#trials-table tbody tr').first().locator('td').first().click();
    const curve = page.locator(`#trial-curve[data-index="${shownPruned}"][data-status="pruned"]`);
    await curve.waitFor({ timeout: 30_000 });
    expect([await curve.getAttribute('data-rungs'), Number(await curve.getAttribute('data-cut'))]).toEqual(['1', Number(stopped.raw.pruneCut)]);
    expect((await chartSeries(page, '#trial-curve')).at(-1)?.[1]).toBe(1);
  });
});
