import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readCampaign } from './support/campaign-data.js';
import { useClusters } from './support/cluster-fixture.js';
import { statusJson, statusText, waitForStatus } from './support/faults.js';
import type { Cluster } from './support/cluster.js';
import { RANDOM_WORD } from './support/generic-trainer.js';
import { waitFor } from './support/wait-for.js';
import { launchChromium } from './support/chromium.js';
import { serveDashboard } from './support/dashboard-client.js';

const { redis, cluster } = useClusters({ HYPEREVOLVE_HOST: 'same-host' });

/**
 * A generic-adapter trainer that notes each run it is started for (its trial directory) in
 * spawns.txt; while `broken` exists it fails as `failure` says, else it trains (fitness from lr0).
 * `same`: the traceback of a missing package, the same in every run but for paths and numbers;
 * `different`: an error whose words differ in each run (a flaky machine, not a broken one).
 */
async function trainer(c: Cluster, failure: 'same' | 'different'): Promise<{ script: string; broken: string; spawns: string }> {
  const broken = join(c.dir, 'environment-broken');
  const spawns = join(c.dir, 'spawns.txt');
  const script = join(c.dir, 'train.mjs');
  await writeFile(broken, '');
  const fail = failure === 'same'
    ? [
        'console.error(`[${new Date().toISOString()}] pid ${process.pid} loading ${process.env.HYPEREVOLVE_HYP_FILE}`);',
        "console.error('Traceback (most recent call last):');",
        'console.error(`  File "${process.env.HYPEREVOLVE_TRIAL_DIR}/../train.py", line ${process.pid % 90 + 3}, in <module>`);',
        "console.error('    import torch');",
        "console.error(\"ModuleNotFoundError: No module named 'torch'\");",
      ]
    : [
        RANDOM_WORD,
        'console.error(`RuntimeError: connection to ${word} lost`);',
      ];
  await writeFile(script, [
    "import { appendFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';",
    `appendFileSync(${JSON.stringify(spawns)}, process.env.HYPEREVOLVE_TRIAL_DIR + '\\n');`,
    `if (existsSync(${JSON.stringify(broken)})) {`,
    ...fail.map((line) => `  ${line}`),
    '  process.exit(1);',
    '}',
    "const lr0 = Number(/lr0: (\\S+)/.exec(readFileSync(process.env.HYPEREVOLVE_HYP_FILE, 'utf8'))[1]);",
    'writeFileSync(process.env.HYPEREVOLVE_METRICS_FILE, JSON.stringify({ fitness: 1 - Math.abs(lr0 - 0.02) }));',
  ].join('\n'));
  return { script, broken, spawns };
}

/** The run directories' names (`<index>-<attempt>`) in the order the trainer was started. */
async function runsStarted(spawns: string): Promise<string[]> {
  const text = await readFile(spawns, 'utf8').catch(() => '');
  return text.split('\n').filter((line) => line !== '').map((dir) => dir.split('/').at(-1) ?? '');
}

/**
 * Once every run started has its result recorded (a run a worker took just before the pause
 * finishes after it): the runs, and the campaign as they left it.
 */
async function settled(c: Cluster, name: string, spawns: string): Promise<{ runs: string[]; data: Awaited<ReturnType<typeof readCampaign>> }> {
  return waitFor(async () => {
    const runs = await runsStarted(spawns);
    const data = await readCampaign(redis, c.prefix, name);
    const ended = data.trials.reduce((sum, t) => sum + (t.status === 'failed' ? Number(t.raw.attempt) : Number(t.raw.failedAttempts ?? 0)), 0);
    return ended === runs.length ? { runs, data } : undefined;
  }, { timeoutMs: 60_000, what: `every run of campaign ${name} recorded` });
}

describe('trials failing the same way (a broken environment)', () => {
  it('are not retried, pause the campaign after 3 with the error and the fix, and resume clears them from status', { timeout: 300_000 }, async () => {
    const c = await cluster('same-failures');
    const { script, broken, spawns } = await trainer(c, 'same');
    // --lookahead 0: one trial at a time, bred after the last one was recorded, so the runs are
    // exactly those the rules call for.
    const { base } = await serveDashboard(c, '127.0.0.1', ['--lookahead', '0']);
    c.worker();
    const enqueued = await c.cli(['enqueue', '--name', 'env', '--generations', '4', '--attempts', '3', '--adapter', 'generic', '--out', c.outDir, '--', process.execPath, script]);
    expect(enqueued.code, enqueued.stderr).toBe(0);
    await waitForStatus(redis, c.prefix, 'env', 'paused', 180_000);

    // The first failure has nothing to compare with: retried (after 1 s of backoff, while the next
    // trials run). Every later run failed like the one before it: not retried. --attempts 3 would
    // have allowed 3 runs of each trial; the breaker alone (10 in a row) 30.
    const { runs, data } = await settled(c, 'env', spawns);
    const failed = data.trials.filter((t) => t.status === 'failed');
    expect(failed.length).toBeGreaterThanOrEqual(3);
    expect(runs.filter((run) => !run.startsWith('0-')).sort()).toEqual(failed.filter((t) => t.index !== 0).map((t) => `${t.index}-1`).sort());
    expect(runs.filter((run) => run.startsWith('0-')).length).toBeLessThanOrEqual(2);
    for (const t of failed.filter((f) => f.index !== 0)) {
      expect([t.raw.attempt, t.raw.failedAttempts ?? '0'], `trial ${t.index}`).toEqual(['1', '0']);
      expect(t.error, `trial ${t.index}`).toMatch(/^exit-code: not retried \(the campaign's previous failure ended the same way\): the trainer exited with code 1; last lines of /);
    }
    const view = (await statusJson(c, 'env')).campaigns[0];
    expect(view).toMatchObject({ status: 'paused', failed: failed.length, recorded: 0 });
    const reason = view?.pausedReason ?? '';
    expect(reason).toMatch(new RegExp(`^circuit breaker: ${failed.length} trials in a row failed the same way \\(exit-code\\)`));
    expect(reason).toContain("ModuleNotFoundError: No module named 'torch'");
    expect(reason).toContain('    import torch');
    expect(reason).toMatch(/Check the trainer's environment on the workers: its Python packages .*then scheduler resume --name env/);
    const text = await statusText(c, 'env');
    expect(text).toContain(`  paused: circuit breaker: ${failed.length} trials in a row failed the same way (exit-code)`);
    expect(text).toContain(`failed ${failed.length}  `);
    expect(text).toMatch(/failed trial \d+ on same-host: exit-code: /);

    // The dashboard shows the reason with its lines, as status does.
    const { context, close } = await launchChromium();
    try {
      const page = await context.newPage();
      await page.goto(`${base}/campaigns/env`);
      const notice = page.locator('#paused-reason', { hasText: "ModuleNotFoundError: No module named 'torch'" });
      await notice.waitFor({ timeout: 30_000 });
      const shown = await notice.innerText();
      expect(shown).toMatch(/^Paused: circuit breaker: \d+ trials in a row failed the same way \(exit-code\)/);
      // One line each, as in status (pre-wrap keeps the reason's line breaks).
      expect(shown).toMatch(/\n\s*ModuleNotFoundError: No module named 'torch'\n\s*Check the trainer's environment/);
      expect(await page.locator('#failed').textContent()).toBe(String(failed.length));

      // Fixed: resume. The failures so far are history: not current failures any more.
      await rm(broken);
      const resumed = await c.cli(['resume', '--name', 'env']);
      expect(resumed.code, resumed.stderr).toBe(0);
      await page.locator('#failed', { hasText: `0 (+${failed.length} before the last resume)` }).waitFor({ timeout: 30_000 });
      expect(await page.locator('#failures-summary').textContent()).toMatch(new RegExp(`^none since the last resume \\(${failed.length} before it`));
    } finally {
      await close();
    }

    // Status too: not in its current failures, not in the breaker's count; their records stay.
    const after = (await statusJson(c, 'env')).campaigns[0];
    expect(after).toMatchObject({ failed: failed.length, clearedFailures: failed.length, recentFailures: [] });
    expect(await statusText(c, 'env')).toContain(`failed 0 (+${failed.length} before the last resume)`);
    const state = await redis.hgetall(`${c.prefix}:c:{env}:state`);
    expect(state).toMatchObject({ consecutiveFailures: '0' });
    expect(state.failureSignature).toBeUndefined();

    await waitForStatus(redis, c.prefix, 'env', 'done', 180_000);
    const done = await readCampaign(redis, c.prefix, 'env');
    expect(done.trials.filter((t) => t.status === 'succeeded')).toHaveLength(4);
    expect(done.trials.filter((t) => t.status === 'failed').map((t) => t.index)).toEqual(failed.map((t) => t.index));
  });

  it('that differ are retried up to --attempts and trip the circuit breaker as before; resume clears them too', { timeout: 300_000 }, async () => {
    const c = await cluster('different-failures');
    const { script, broken, spawns } = await trainer(c, 'different');
    c.serve(['--lookahead', '0']);
    c.worker();
    const enqueued = await c.cli(['enqueue', '--name', 'flaky', '--generations', '3', '--attempts', '2', '--max-failures', '4', '--adapter', 'generic', '--out', c.outDir, '--', process.execPath, script]);
    expect(enqueued.code, enqueued.stderr).toBe(0);
    await waitForStatus(redis, c.prefix, 'flaky', 'paused', 180_000);

    // Every trial recorded failed ran both its attempts; the breaker, not the signature, paused it.
    const { runs, data } = await settled(c, 'flaky', spawns);
    const failed = data.trials.filter((t) => t.status === 'failed');
    expect(failed.length).toBeGreaterThanOrEqual(4);
    for (const t of failed) {
      expect([t.raw.attempt, t.raw.failedAttempts], `trial ${t.index}`).toEqual(['2', '1']);
      expect(runs.filter((run) => run.startsWith(`${t.index}-`)).sort(), `trial ${t.index}`).toEqual([`${t.index}-1`, `${t.index}-2`]);
    }
    const view = (await statusJson(c, 'flaky')).campaigns[0];
    expect(view).toMatchObject({ status: 'paused', failed: failed.length, pausedReason: 'circuit breaker: 4 trials failed in a row; read their logs (scheduler status), fix the command, then scheduler resume' });
    expect(view?.recentFailures).toHaveLength(Math.min(5, failed.length));

    await rm(broken);
    const resumed = await c.cli(['resume', '--name', 'flaky']);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect((await statusJson(c, 'flaky')).campaigns[0]).toMatchObject({ failed: failed.length, clearedFailures: failed.length, recentFailures: [] });
    await waitForStatus(redis, c.prefix, 'flaky', 'done', 180_000);
  });
});
