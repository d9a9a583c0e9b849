import { describe, expect, it } from 'vitest';
import { formatG } from '@hyperevolve/ga-core';
import type { Cluster } from './support/cluster.js';
import { useClusters } from './support/cluster-fixture.js';
import { BIN } from './support/processes.js';
import { waitFor } from './support/wait-for.js';

const { redis, cluster } = useClusters();

interface StatusJson {
  v: number;
  schedulers: string[];
  campaigns: { name: string; status: string; budget: number; recorded: number; progress: number; running: number; queued: number; failed: number; best: { trial: number; fitness: number } | null; trialsPerHour: number | null; etaSeconds: number | null }[];
  workers: { host: string; device: string; currentTrial: string | null; trialElapsedMs: number | null; lastBeatAgoMs: number; silent: boolean; allowed: unknown }[];
}

async function statusJson(c: Cluster): Promise<StatusJson> {
  const result = await c.cli(['status', '--json']);
  expect(result.code, result.stderr).toBe(0);
  return JSON.parse(result.stdout) as StatusJson;
}

describe('scheduler status against a live cluster', () => {
  it('shows progress, best, pace and each worker with its trial; --watch streams; silent workers are flagged', async () => {
    const c = await cluster('status');
    c.serve();
    c.worker(['--device', 'cpu'], { HYPEREVOLVE_HOST: 'box-a', HYPEREVOLVE_HEARTBEAT_MS: '300' });
    const doomed = c.worker(['--device', 'cpu'], { HYPEREVOLVE_HOST: 'box-b', HYPEREVOLVE_HEARTBEAT_MS: '300' });
    await c.enqueue(['--name', 'st', '--generations', '12', '--seed', '4'], ['--epochs', '2', '--duration-ms', '1500']);

    const busy = await waitFor(
      async () => {
        const view = await statusJson(c);
        return view.workers.length === 2 && view.workers.some((w) => w.currentTrial !== null) && view.campaigns[0]!.running > 0 ? view : undefined;
      },
      { timeoutMs: 150_000, intervalMs: 200, what: 'a worker running a trial of st' },
    );
    expect(busy.v).toBe(1);
    expect(busy.schedulers).toHaveLength(1);
    expect(busy.workers.map((w) => [w.host, w.device, w.silent])).toEqual([['box-a', 'cpu', false], ['box-b', 'cpu', false]]);
    const running = busy.workers.find((w) => w.currentTrial !== null)!;
    expect(running.currentTrial).toMatch(/^st\/\d+$/);
    expect(running.trialElapsedMs).toBeGreaterThanOrEqual(0);

    const text = await c.cli(['status', '--name', 'st']);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toMatch(/^st {2}(running|done) {2}\[[#.]{30}\] \d+\/12 \d+%$/m);
    expect(text.stdout).toMatch(/^ {2}running \d+( {2}waiting \d+)? {2}failed 0 {2}best \S+ .* trials\/h {2}eta \S+$/m);
    expect(text.stdout).toContain('workers: 2 alive');
    expect(text.stdout).toMatch(/^ {2}HOST +DEVICE +GPU +TRIAL +ELAPSED +HEARTBEAT +ALLOWS$/m);
    expect(text.stdout).toMatch(/^ {2}box-a +cpu +- +(st\/\d+|idle) /m);
    // Each worker's allow-list, in the table and in --json, so a user sees why a campaign waits.
    expect(text.stdout).toMatch(new RegExp(`^ {2}box-b +cpu .* ago +${JSON.stringify(process.execPath).replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}$`, 'm'));
    expect(busy.workers.map((w) => w.allowed)).toEqual([{ any: false, prefixes: [[process.execPath]] }, { any: false, prefixes: [[process.execPath]] }]);
    expect(text.stdout).not.toContain('\u001b');

    // --watch without a terminal: plain blocks, one per interval, until SIGINT (exit 0).
    const watch = c.group.spawn('status-watch', BIN.scheduler, ['status', '--watch', '--interval', '250ms'], c.env);
    await watch.waitForOutput(/^--- \d{4}-.*\n[\s\S]*^--- \d{4}-/m, 90_000);
    watch.child.kill('SIGINT');
    expect((await watch.exited).code, watch.output()).toBe(0);
    expect(watch.output()).toMatch(/^st {2}(running|done) {2}\[/m);
    // `status --watch | head -1`: the reader goes away; the watcher ends quietly with exit 0.
    const piped = c.group.spawn('status-piped', BIN.scheduler, ['status', '--watch', '--interval', '100ms'], c.env);
    await piped.waitForOutput(/^--- \d{4}-/m, 90_000);
    piped.child.stdout?.destroy();
    const pipedExit = await piped.exited;
    expect(pipedExit, piped.output()).toEqual({ code: 0, signal: null });
    expect(piped.output()).not.toMatch(/EPIPE|unexpected error/);
    const ndjson = c.group.spawn('status-ndjson', BIN.scheduler, ['status', '--json', '--watch', '--interval', '250ms'], c.env);
    await ndjson.waitForOutput(/\n[\s\S]*\n/, 90_000);
    ndjson.child.kill('SIGINT');
    expect((await ndjson.exited).code, ndjson.output()).toBe(0);
    const lines = ndjson.output().trim().split('\n');
    expect(lines.length).toBeGreaterThanOrEqual(2);
    for (const line of lines) expect((JSON.parse(line) as StatusJson).v).toBe(1);

    await waitFor(async () => (await redis.hget(`${c.prefix}:c:{st}:state`, 'status')) === 'done', { timeoutMs: 200_000, intervalMs: 200, what: 'campaign st to finish' });
    const done = await statusJson(c);
    const bestFitness = Number(await redis.hget(`${c.prefix}:c:{st}:state`, 'bestFitness'));
    const bestTrial = Number(await redis.hget(`${c.prefix}:c:{st}:state`, 'bestTrial'));
    expect(done.campaigns[0]).toMatchObject({ name: 'st', status: 'done', recorded: 12, budget: 12, progress: 1, running: 0, queued: 0, etaSeconds: null, best: { trial: bestTrial, fitness: bestFitness } });
    expect(done.campaigns[0]!.trialsPerHour).toBeGreaterThan(0);
    const finished = await c.cli(['status']);
    expect(finished.stdout).toMatch(/^st {2}done {2}\[#{30}\] 12\/12 100%$/m);
    expect(finished.stdout).toContain(`best ${formatG(bestFitness, 0, 5)} (trial ${bestTrial})`);

    await doomed.kill('SIGKILL');
    const silent = await waitFor(
      async () => {
        const view = await statusJson(c);
        return view.workers.find((w) => w.host === 'box-b')?.silent === true ? view : undefined;
      },
      { timeoutMs: 60_000, intervalMs: 500, what: 'box-b to be reported silent' },
    );
    expect(silent.workers.find((w) => w.host === 'box-a')?.silent).toBe(false);
    const flagged = await c.cli(['status']);
    expect(flagged.stdout).toContain('workers: 1 alive, 1 silent');
    expect(flagged.stdout).toMatch(/^ {2}box-b +cpu +- +\? +- +\d+s ago +\S+ +SILENT$/m);
  }, 480_000);

  it('--name of an unknown campaign is an error naming the fix (exit 2)', async () => {
    const c = await cluster('status-none');
    const result = await c.cli(['status', '--name', 'nope']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('no campaign named nope; scheduler list shows the campaigns');
    const empty = await c.cli(['status']);
    expect(empty.stdout).toContain('no scheduler serve is running');
    expect(empty.stdout).toContain('no campaigns yet');
  });
});
