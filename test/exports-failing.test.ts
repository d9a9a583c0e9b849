import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useClusters } from './support/cluster-fixture.js';
import { http, serveDashboard } from './support/dashboard-client.js';
import { statusJson, statusText, waitForStatus } from './support/faults.js';
import { waitFor } from './support/wait-for.js';

const { redis, cluster } = useClusters({ HYPEREVOLVE_LOCK_MS: '2000', HYPEREVOLVE_STALLED_MS: '1000' });

describe('a campaign whose files cannot be written', () => {
  it('says so in status and the dashboard, retries with a growing delay, and writes them once it can', { timeout: 240_000 }, async () => {
    const c = await cluster('exports-failing');
    await c.enqueue(['--name', 'exp', '--generations', '2', '--seed', '1']);
    // The export directory's parent turns out to be a file (a typo, a mount gone): mkdir fails.
    await writeFile(c.outDir, 'not a directory\n');
    const { base, serve } = await serveDashboard(c, '127.0.0.1');
    c.worker();
    await waitForStatus(redis, c.prefix, 'exp', 'done');

    const view = await waitFor(async () => {
      const found = (await statusJson(c)).campaigns.find((x) => x.name === 'exp') as { exportError?: string | null } | undefined;
      return typeof found?.exportError === 'string' ? found : undefined;
    }, { what: 'status --json to report the failing exports' });
    expect(view.exportError).toMatch(/ENOTDIR|EEXIST|not a directory/);
    expect(await statusText(c)).toMatch(/ {2}exports failing: .*(ENOTDIR|EEXIST|not a directory).*serve retries/);
    const detail = (await http(`${base}/api/campaigns/exp`)).json() as { campaign: { exportError: string | null } };
    expect(detail.campaign.exportError).toMatch(/serve retries/);

    // Backoff: each retry waits longer than the one before, instead of a retry (and an error line) every tick.
    const delays = await waitFor(() => {
      const found = [...serve.output().matchAll(/"retryInMs":(\d+)/g)].map((m) => Number(m[1]));
      return found.length >= 3 ? found : undefined;
    }, { timeoutMs: 60_000, what: 'three failed tries in the log' });
    expect(delays.slice(0, 3)).toEqual([...delays.slice(0, 3)].sort((a, b) => a - b));
    expect(delays[2]!).toBeGreaterThanOrEqual(4 * delays[0]!);

    await rm(c.outDir);
    const csv = await waitFor(async () => {
      const text = await readFile(join(c.outDir, 'exp', 'evolve.csv'), 'utf8').catch(() => '');
      return text.trimEnd().split('\n').length === 3 ? text : undefined;
    }, { timeoutMs: 90_000, what: 'evolve.csv with 2 rows once the directory can be made' });
    expect(csv).toContain('metrics/precision');
    await waitFor(async () => ((await statusJson(c)).campaigns[0] as { exportError?: string | null }).exportError === null, { what: 'the export error to clear' });
    expect(await statusText(c)).not.toContain('exports failing');
  });
});
