// A trainer past a limit (issue 20, items 3-6): the worker skips or stops following with one
// warning per kind per run ON THE TRIAL, never failing a run that exited well. Real serve, a real
// worker, a trainer that writes over-long lines, too many metrics and an epoch past the bound;
// status, status --json, the API and the dashboard's trial record show the warnings.
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { TRAINER_LIMITS } from '@hyperevolve/contract';
import { launchChromium } from './support/chromium.js';
import { useClusters } from './support/cluster-fixture.js';
import { http, serveDashboard } from './support/dashboard-client.js';
import { waitFor } from './support/wait-for.js';

const { redis, cluster } = useClusters();
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup().catch(() => undefined);
});

/** A generic trainer that goes past three limits (two of one kind) and exits well with fitness 0.5. */
const HOSTILE = `
const fs = require('fs');
const progress = process.env.HYPEREVOLVE_PROGRESS_FILE;
const line = (value) => fs.appendFileSync(progress, JSON.stringify(value) + '\\n');
line({ epoch: 1, fitness: 0.1 });
line({ epoch: 2, fitness: 0.2, junk: 'x'.repeat(${TRAINER_LIMITS.lineBytes + 100}) });
line({ epoch: 2, fitness: 0.2, junk: 'y'.repeat(${TRAINER_LIMITS.lineBytes * 3}) });
line({ epoch: 2, metrics: Object.fromEntries(Array.from({ length: ${TRAINER_LIMITS.metricsPerEpoch + 1} }, (_, i) => ['m' + i, i])) });
line({ epoch: 3, fitness: 0.3 });
line({ epoch: ${TRAINER_LIMITS.epochsPerRun}, fitness: 0.4 }); // epochs count from 0: the run's 10,001st
fs.writeFileSync(process.env.HYPEREVOLVE_METRICS_FILE, JSON.stringify({ fitness: 0.5 }));
`;

const LINE = `0-1: a line longer than ${TRAINER_LIMITS.lineBytes} bytes was skipped (no trainer writes such an epoch line)`;
const EPOCH = new RegExp(`^0-1: epoch ${TRAINER_LIMITS.epochsPerRun + 1} is past the ${TRAINER_LIMITS.epochsPerRun} epochs a run may report`);

interface WarnedView {
  campaigns: { name: string; warnings?: { trials: number; recent: { index: number; warnings: string[] }[] } }[];
}

describe('a trainer past a limit', () => {
  it('leaves one warning per kind on its trial, which succeeds; status, --json, the API and the dashboard show them', { timeout: 240_000 }, async () => {
    const c = await cluster('warn');
    const dir = await mkdtemp(join(tmpdir(), 'hostile-trainer-'));
    cleanups.push(async () => (await import('node:fs/promises')).rm(dir, { recursive: true, force: true }));
    const script = join(dir, 'hostile.cjs');
    await writeFile(script, HOSTILE);
    const { base } = await serveDashboard(c, '127.0.0.1');
    c.worker();
    const enqueued = await c.cli(['enqueue', '--out', c.outDir, '--name', 'exp', '--generations', '1', '--adapter', 'generic', '--', process.execPath, script]);
    expect(enqueued.code, enqueued.stderr).toBe(0);
    await waitFor(async () => (await redis.hget(`${c.prefix}:c:{exp}:state`, 'status')) === 'done', { timeoutMs: 180_000, intervalMs: 250, what: 'campaign exp to finish' });

    // The run that exited well is a success; the trial keeps one warning per kind: the two long
    // lines and the 65 metrics are one kind (a line past a bound), the epoch past the bound another.
    const record = (await http(`${base}/api/campaigns/exp/trials/0`)).json() as { status: string; fitness: number; warnings: string[] };
    expect(record).toMatchObject({ status: 'succeeded', fitness: 0.5 });
    expect(record.warnings).toEqual([LINE, expect.stringMatching(EPOCH)]);

    const text = (await c.cli(['status'])).stdout;
    expect(text).toContain(`  warning: trial 0, run ${LINE}\n`);
    expect(text).toMatch(new RegExp(`  warning: trial 0, run 0-1: epoch ${TRAINER_LIMITS.epochsPerRun + 1} is past`));
    const expected = { trials: 1, recent: [{ index: 0, warnings: record.warnings }] };
    const json = JSON.parse((await c.cli(['status', '--json'])).stdout) as WarnedView;
    expect(json.campaigns.find((view) => view.name === 'exp')?.warnings).toEqual(expected);
    const api = (await http(`${base}/api/status`)).json() as WarnedView;
    expect(api.campaigns.find((view) => view.name === 'exp')?.warnings).toEqual(expected);

    // The dashboard: the trial's record lists its warnings, one to a line.
    const { context, close } = await launchChromium();
    cleanups.push(close);
    const page = await context.newPage();
    await page.goto(`${base}/campaigns/exp/trials/0`);
    const shown = page.locator('#trial-record dd[data-field="warnings"] > div');
    await shown.first().waitFor({ timeout: 30_000 });
    expect(await shown.allTextContents()).toEqual(record.warnings);
  });
});
