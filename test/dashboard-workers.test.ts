// Why is my trial waiting? (issue 21, item 13, the dashboard's half): each worker's allow-list and
// device, the workers that may not run the campaign's command marked, and a queued trial that no
// live worker may run says so in the trials table. Real browser, live scheduler and workers.
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { campaignKeys } from '@hyperevolve/contract';
import { launchChromium } from './support/chromium.js';
import { useClusters } from './support/cluster-fixture.js';
import { serveDashboard } from './support/dashboard-client.js';
import { BIN, ROOT } from './support/processes.js';
import { waitFor } from './support/wait-for.js';

const ARTIFACTS = join(ROOT, 'test-artifacts');
const cleanups: (() => Promise<void>)[] = [];
const { redis, cluster } = useClusters({ HYPEREVOLVE_HEARTBEAT_MS: '300' });

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => undefined);
});

describe('dashboard: why a trial waits (live cluster, chromium)', () => {
  it("shows each worker's allow-list and device, marks those that may not run the campaign, and says why its queued trials wait", async () => {
    const c = await cluster('why-wait');
    const { base } = await serveDashboard(c, '127.0.0.1');
    await c.enqueue(['--name', 'wait', '--generations', '4', '--seed', '2']);
    const keys = campaignKeys(c.prefix, 'wait');
    await waitFor(async () => (await redis.scard(keys.inflight)) > 0, { timeoutMs: 60_000, what: 'a bred trial of campaign wait' });
    // A live worker that runs only YOLOv5: the campaign's sim-train trials cannot run anywhere.
    c.group.spawn('worker-strict', BIN.worker, ['--device', 'cpu', '--workdir', c.workdir, '--allow-command', 'python3 train.py'], { ...c.env, HYPEREVOLVE_HOST: 'strict-box' });

    const { context, close } = await launchChromium({ viewport: { width: 1500, height: 1100 } });
    cleanups.push(close);
    const page = await context.newPage();
    const pageErrors: string[] = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await page.goto(`${base}/campaigns/wait`);
    const strict = page.locator('#workers-table tbody tr[data-host="strict-box"]');
    await strict.waitFor({ timeout: 30_000 });
    expect(await strict.getAttribute('data-runs')).toBe('no');
    expect(await strict.locator('td').nth(1).textContent()).toBe('cpu');
    expect(await strict.locator('td.allows').textContent()).toBe('"python3 train.py"not this campaign\'s command');

    // Its queued trials say why they wait, in the trials table.
    const queued = page.locator('#trials-table tbody tr', { has: page.locator('.status-queued') }).first();
    await queued.locator('td.error', { hasText: 'waiting: no live worker allows' }).waitFor({ timeout: 30_000 });
    expect(await queued.locator('td.error').textContent()).toMatch(/^waiting: no live worker allows `.*sim-train\.js` \(the live worker allows "python3 train\.py"\); start one with --allow-command "/);
    await mkdir(ARTIFACTS, { recursive: true });
    await page.locator('#workers-table').locator('xpath=ancestor::div[contains(@class,"card")][1]').screenshot({ path: join(ARTIFACTS, 'dashboard-workers-allow.png') });

    // A worker that allows it: marked as one that runs the campaign, and the trials run.
    c.worker(['--device', 'cpu'], { HYPEREVOLVE_HOST: 'open-box' });
    const open = page.locator('#workers-table tbody tr[data-host="open-box"]');
    await open.waitFor({ timeout: 30_000 });
    expect(await open.getAttribute('data-runs')).toBe('yes');
    expect(await open.locator('td.allows').textContent()).toBe(JSON.stringify(process.execPath));
    await waitFor(async () => (await redis.hget(keys.state, 'status')) === 'done', { timeoutMs: 120_000, intervalMs: 250, what: 'campaign wait to finish' });
    await page.locator('#trials-table tbody td.error', { hasText: 'waiting:' }).first().waitFor({ state: 'detached', timeout: 30_000 });
    // The overview lists the same columns.
    await page.goto(`${base}/`);
    await page.locator('#overview-workers-table tbody tr[data-host="strict-box"] td.allows', { hasText: 'python3 train.py' }).waitFor({ timeout: 30_000 });
    expect(pageErrors).toEqual([]);
  }, 300_000);
});
