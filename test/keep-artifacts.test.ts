// Issue 21, item 7: a campaign's --keep-artifacts (default best:3) bounds what its trials keep on
// the workers' disks, the workers that ran them delete the rest without following a trainer's
// links, and `status` and the dashboard say how much is kept, by host. Real Redis, real
// scheduler and worker processes, sim-train writing weights and plots as YOLOv5 does.
import { lstat, mkdir, opendir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { campaignKeys, DiskUseSchema } from '@hyperevolve/contract';
import { formatByteSize } from '@hyperevolve/runtime';
import { launchChromium } from './support/chromium.js';
import type { Cluster } from './support/cluster.js';
import { useClusters } from './support/cluster-fixture.js';
import { serveDashboard } from './support/dashboard-client.js';
import { BIN, type Managed } from './support/processes.js';
import { waitFor } from './support/wait-for.js';

const { redis, cluster } = useClusters();
const cleanups: (() => Promise<void>)[] = [];
/** Workers look at their campaigns' run directories this often (besides after each trial). */
const SWEEP = { HYPEREVOLVE_ARTIFACT_SWEEP_MS: '200' };
const TRAINER = ['--epochs', '2', '--duration-ms', '40'];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => undefined);
});

/** A worker on a host of its own name with a workdir of its own, as on another machine. */
function workerOn(c: Cluster, host: string, workdir: string): Managed {
  return c.group.spawn(`worker-${host}`, BIN.worker, ['--workdir', workdir, '--allow-command', process.execPath, '--device', 'cpu'], { ...c.env, ...SWEEP, HYPEREVOLVE_HOST: host });
}

interface RunDir {
  name: string;
  index: number;
  path: string;
  /** Paths inside it (links as themselves, never followed) → their kind and size. */
  entries: Map<string, { kind: 'file' | 'link' | 'dir'; size: number }>;
}

async function walk(dir: string, prefix: string, into: RunDir['entries']): Promise<void> {
  for await (const entry of await opendir(dir)) {
    const rel = prefix === '' ? entry.name : `${prefix}/${entry.name}`;
    const stats = await lstat(join(dir, entry.name));
    if (stats.isSymbolicLink()) into.set(rel, { kind: 'link', size: 0 });
    else if (stats.isDirectory()) {
      into.set(rel, { kind: 'dir', size: 0 });
      await walk(join(dir, entry.name), rel, into);
    } else into.set(rel, { kind: 'file', size: stats.size });
  }
}

async function runDirs(workdir: string, campaign: string): Promise<RunDir[]> {
  const project = join(workdir, campaign);
  const runs: RunDir[] = [];
  for await (const entry of await opendir(project)) {
    const match = /^(\d+)-\d+/.exec(entry.name);
    if (!entry.isDirectory() || match === null) continue;
    const entries = new Map<string, { kind: 'file' | 'link' | 'dir'; size: number }>();
    await walk(join(project, entry.name), '', entries);
    runs.push({ name: entry.name, index: Number(match[1]), path: join(project, entry.name), entries });
  }
  return runs.sort((a, b) => a.index - b.index);
}

const fileBytes = (runs: readonly RunDir[]): number => runs.reduce((sum, run) => sum + [...run.entries.values()].reduce((s, e) => s + (e.kind === 'file' ? e.size : 0), 0), 0);
const hasWeights = (run: RunDir): boolean => [...run.entries.keys()].some((path) => path.endsWith('.pt'));
const hasPlots = (run: RunDir): boolean => [...run.entries.keys()].some((path) => /\.(png|jpg)$/.test(path));

async function waitDone(c: Cluster, name: string): Promise<void> {
  await waitFor(async () => (await redis.hget(campaignKeys(c.prefix, name).state, 'status')) === 'done', { timeoutMs: 180_000, intervalMs: 200, what: `campaign ${name} to finish` });
}

/** What each host's workers last reported for the campaign, by host. */
async function reported(c: Cluster, name: string): Promise<Map<string, number>> {
  const raw = await redis.hgetall(campaignKeys(c.prefix, name).disk);
  return new Map(Object.values(raw).map((text) => DiskUseSchema.parse(JSON.parse(text))).map((use) => [use.host, use.bytes]));
}

/** Every run keeps what exports, status and the dashboard read. */
function expectSmallFilesKept(runs: readonly RunDir[]): void {
  for (const run of runs) for (const file of ['results.csv', 'hyp.yaml', 'train.log', 'command.txt']) expect(run.entries.get(file)?.kind, `${run.name}/${file}`).toBe('file');
}

describe('--keep-artifacts (real Redis, real workers, sim-train)', () => {
  it('by default keeps the weights of the 3 fittest trials only, plots none, and status and the dashboard show the bytes kept per host', async () => {
    const c = await cluster('keep-best');
    const { base } = await serveDashboard(c, '127.0.0.1');
    const hosts = [{ host: 'box-a', workdir: join(c.dir, 'a') }, { host: 'box-b', workdir: join(c.dir, 'b') }];
    for (const { host, workdir } of hosts) workerOn(c, host, workdir);
    await c.enqueue(['--name', 'exp', '--generations', '8', '--seed', '4'], TRAINER);
    await waitDone(c, 'exp');
    const keys = campaignKeys(c.prefix, 'exp');
    const top = new Set((await redis.zrevrange(keys.population, 0, 2)).map(Number));
    expect(top.size).toBe(3);
    const recordedRun = new Map<number, string | null>();
    for (let index = 0; index < 8; index++) recordedRun.set(index, await redis.hget(keys.trial(index), 'runName'));

    // The workers prune once each result is recorded (after the trial, or at their next look).
    const kept = (run: RunDir): boolean => top.has(run.index) && recordedRun.get(run.index) === run.name;
    const byHost = await waitFor(async () => {
      const all = await Promise.all(hosts.map(async ({ workdir }) => runDirs(workdir, 'exp').catch(() => [] as RunDir[])));
      return all.flat().every((run) => hasWeights(run) === kept(run)) ? all : undefined;
    }, { timeoutMs: 30_000, what: 'only the 3 fittest trials\' runs to keep weights' });
    const runs = byHost.flat();
    expect(runs.filter(kept)).toHaveLength(3);
    expect(runs.length).toBeGreaterThanOrEqual(8);
    expectSmallFilesKept(runs);
    // Trials are told not to plot: YOLOv5's --noplots, which sim-train honours.
    for (const run of runs) {
      expect(hasPlots(run), run.name).toBe(false);
      expect(await readFile(join(run.path, 'command.txt'), 'utf8')).toContain(' --noplots');
    }

    // Each host reports what its own workdir keeps.
    const bytes = byHost.map(fileBytes);
    await waitFor(async () => {
      const now = await reported(c, 'exp');
      return hosts.every(({ host }, i) => now.get(host) === bytes[i]) ? true : undefined;
    }, { timeoutMs: 30_000, what: `the workers to report ${bytes.join(' and ')} bytes` });
    const total = bytes.reduce((a, b) => a + b, 0);
    const status = await c.cli(['status', '--name', 'exp']);
    expect(status.stdout).toContain(`  disk ${formatByteSize(total)} in ${runs.length} runs (keep best:3): `);
    for (const [i, { host }] of hosts.entries()) expect(status.stdout).toContain(`${host} ${formatByteSize(bytes[i] ?? -1)}`);
    const json = JSON.parse((await c.cli(['status', '--name', 'exp', '--json'])).stdout) as { campaigns: { disk: { bytes: number; keep: string; hosts: { host: string }[] } }[] };
    expect(json.campaigns[0]?.disk).toMatchObject({ bytes: total, keep: 'best:3' });
    expect(json.campaigns[0]?.disk.hosts.map((h) => h.host).sort()).toEqual(['box-a', 'box-b']);

    const { context, close } = await launchChromium();
    cleanups.push(close);
    const page = await context.newPage();
    await page.goto(`${base}/campaigns/exp`);
    const disk = page.locator(`#disk[data-bytes="${total}"]`);
    await disk.waitFor({ timeout: 30_000 });
    const text = await disk.textContent();
    expect(text).toContain(formatByteSize(total));
    for (const [i, { host }] of hosts.entries()) expect(text).toContain(`${host} ${formatByteSize(bytes[i] ?? -1)}`);
    expect(await disk.getAttribute('title')).toContain('--keep-artifacts best:3');
  });

  it('none deletes every trial\'s weights without following a link out of its directory; all keeps weights and plots', async () => {
    const c = await cluster('keep-none-all');
    c.serve();
    const first = c.worker(['--device', 'cpu'], SWEEP);
    const outside = join(c.dir, 'outside');
    await mkdir(outside, { recursive: true });
    const precious = join(outside, 'precious.pt');
    await writeFile(precious, 'not the trial\'s to delete');
    await c.enqueue(['--name', 'none', '--generations', '4', '--seed', '1', '--keep-artifacts', 'none'], [...TRAINER, '--plant-link', precious]);
    await c.enqueue(['--name', 'all', '--generations', '3', '--seed', '2', '--keep-artifacts', 'all'], TRAINER);
    await waitDone(c, 'none');
    await waitDone(c, 'all');

    const pruned = await waitFor(async () => {
      const runs = await runDirs(c.workdir, 'none');
      return runs.length >= 4 && runs.every((run) => !hasWeights(run)) ? runs : undefined;
    }, { timeoutMs: 30_000, what: 'every run of campaign none to lose its weights' });
    expectSmallFilesKept(pruned);
    for (const run of pruned) {
      expect(hasPlots(run)).toBe(false);
      // The link to a folder outside is a trainer's: left alone, and never walked into.
      expect(run.entries.get('outside-dir')?.kind).toBe('link');
    }
    expect(await readFile(precious, 'utf8')).toBe('not the trial\'s to delete');

    const all = await runDirs(c.workdir, 'all');
    expect(all.length).toBeGreaterThanOrEqual(3);
    for (const run of all) {
      for (const file of ['weights/last.pt', 'weights/best.pt', 'results.png', 'labels.jpg']) expect(run.entries.get(file)?.kind, `${run.name}/${file}`).toBe('file');
      expect(await readFile(join(run.path, 'command.txt'), 'utf8')).not.toContain('--noplots');
    }
    const allBytes = fileBytes(all);
    // One worker, one host: its report is all that campaign keeps.
    await waitFor(async () => ([...(await reported(c, 'all')).values()].join() === String(allBytes) ? true : undefined), { timeoutMs: 30_000, what: `campaign all's report of ${allBytes} bytes` });
    expect(await readFile(precious, 'utf8')).toBe('not the trial\'s to delete');

    // A worker that starts takes up the campaigns already in its workdir: weights a stopped
    // worker left behind (here, written back by hand) go at its first look.
    await first.kill();
    const left = join(pruned[0]?.path ?? '', 'weights', 'last.pt');
    await mkdir(join(pruned[0]?.path ?? '', 'weights'), { recursive: true });
    await writeFile(left, Buffer.alloc(4096));
    c.worker(['--device', 'cpu'], SWEEP);
    await waitFor(async () => (await lstat(left).catch(() => null)) === null, { timeoutMs: 30_000, what: `a new worker to prune ${left}` });
  });

  it('best:K sets how many trials keep their weights; a bad value is refused with the fix, exit 2', async () => {
    const c = await cluster('keep-flag');
    const created = await c.enqueue(['--name', 'five', '--generations', '2', '--keep-artifacts', 'best:5'], TRAINER);
    expect(created.stdout).toContain('keep-artifacts best:5: trials do not plot, and the workers delete the weights and large files of every trial but the 5 fittest');
    expect(JSON.parse((await redis.get(campaignKeys(c.prefix, 'five').config)) ?? '{}')).toMatchObject({ keepArtifacts: { mode: 'best', top: 5 } });
    for (const bad of ['some', 'best:0', 'all:2']) {
      const refused = await c.cli(['enqueue', '--name', 'bad', '--generations', '2', '--keep-artifacts', bad, '--', process.execPath, BIN.simTrain]);
      expect(refused.code, bad).toBe(2);
      expect(refused.stderr, bad).toMatch(/--keep-artifacts: .*; use e\.g\. --keep-artifacts best:5, none or all/);
    }
    expect(await redis.exists(campaignKeys(c.prefix, 'bad').config)).toBe(0);
    // Another value is another campaign's settings: refused, naming both.
    const other = await c.cli(['enqueue', '--name', 'five', '--generations', '2', '--', process.execPath, BIN.simTrain, ...TRAINER]);
    expect(other.code).toBe(2);
    expect(other.stderr).toMatch(/keepArtifacts: campaign has \{"mode":"best","top":5\}, this enqueue gives \{"mode":"best","top":3\}/);
  });
});
