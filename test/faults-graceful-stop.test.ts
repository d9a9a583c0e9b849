import { readdir, readFile, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { campaignKeys, globalKeys } from '@hyperevolve/contract';
import { parseEvolveCsv, YOLOV5_METRIC_NAMES } from '@hyperevolve/ga-core';
import { readCampaign } from './support/campaign-data.js';
import { useClusters } from './support/cluster-fixture.js';
import { processAlive, waitForStatus } from './support/faults.js';
import type { Managed } from './support/processes.js';
import { waitFor } from './support/wait-for.js';

const FAULT_ENV = { HYPEREVOLVE_LOCK_MS: '2000', HYPEREVOLVE_STALLED_MS: '1000', HYPEREVOLVE_HOST: 'stop-host' };
const { redis, cluster } = useClusters(FAULT_ENV);

async function exited(p: Managed, timeoutMs = 60_000): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${p.name} did not exit within ${timeoutMs} ms:\n${p.output().slice(-2000)}`)), timeoutMs);
  });
  try {
    return await Promise.race([p.exited, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

describe('graceful stop', () => {
  it('SIGTERM to scheduler serve while results flow: exit 0, no temp files, evolve.csv complete and equal to Redis; a new serve finishes exactly N', { timeout: 420_000 }, async () => {
    const c = await cluster('serve-stop');
    let serve = c.serve();
    for (let i = 0; i < 3; i++) c.worker();
    await c.enqueue(['--name', 'exp', '--generations', '36', '--seed', '8'], ['--epochs', '2', '--duration-ms', '50']);
    const keys = campaignKeys(c.prefix, 'exp');
    const dir = join(c.outDir, 'exp');

    for (const atLeast of [6, 16]) {
      await waitFor(async () => Number(await redis.hget(keys.state, 'recorded')) >= atLeast, { timeoutMs: 90_000, what: `${atLeast} recorded trials` });
      serve.child.kill('SIGTERM');
      expect(await exited(serve), serve.output().slice(-2000)).toEqual({ code: 0, signal: null });
      expect(serve.output()).toMatch(/scheduler stopped/);

      // Nothing records while no scheduler runs, so Redis and the files must agree now.
      const rows = await redis.lrange(keys.rows, 0, -1);
      const files = await readdir(dir);
      expect(files.filter((f) => f.endsWith('.tmp'))).toEqual([]);
      expect(files).toEqual(expect.arrayContaining(['evolve.csv', 'hyp_evolve.yaml']));
      const csv = await readFile(join(dir, 'evolve.csv'), 'utf8');
      expect(csv.endsWith('\n')).toBe(true);
      expect(parseEvolveCsv(csv, YOLOV5_METRIC_NAMES).rows).toHaveLength(rows.length);
      expect(await readFile(join(dir, 'hyp_evolve.yaml'), 'utf8')).toContain(`# Last generation: ${rows.length - 1}\n`);
      expect(await redis.hget(keys.state, 'exportedRows')).toBe(String(rows.length));
      // It left the registry, so status and enqueue do not count a dead scheduler.
      expect(await redis.zscore(globalKeys(c.prefix).schedulers, `${hostname()}:${serve.child.pid}`)).toBeNull();
      serve = c.serve();
    }

    await waitForStatus(redis, c.prefix, 'exp', 'done', 240_000);
    const data = await readCampaign(redis, c.prefix, 'exp');
    expect(data.rows).toHaveLength(36);
    expect(new Set(data.rows).size).toBe(36);
    expect(data.trials.filter((t) => t.status === 'succeeded')).toHaveLength(36);
    await waitFor(async () => parseEvolveCsv(await readFile(join(dir, 'evolve.csv'), 'utf8'), YOLOV5_METRIC_NAMES).rows.length === 36, { timeoutMs: 120_000, what: 'evolve.csv with 36 rows' });
  });

  it('worker SIGTERM: a trial past --grace is killed and handed back uncounted; one within --grace finishes and is recorded', { timeout: 420_000 }, async () => {
    const c = await cluster('worker-stop');
    // The first run of the campaign hangs; every later run takes 1.5 s and succeeds.
    const marker = join(c.dir, 'hung.pid');
    const trainer = join(c.dir, 'hang-once.mjs');
    await writeFile(trainer, [
      "import { existsSync, writeFileSync } from 'node:fs';",
      'const marker = process.argv[2];',
      'if (!existsSync(marker)) {',
      '  writeFileSync(marker, String(process.pid));',
      "  console.log('hanging');",
      '  setInterval(() => {}, 1000);',
      '} else {',
      '  setTimeout(() => writeFileSync(process.env.HYPEREVOLVE_METRICS_FILE, JSON.stringify({ fitness: Number(process.env.HYPEREVOLVE_TRIAL_INDEX) / 10 })), 1500);',
      '}',
    ].join('\n'));
    c.serve(['--lookahead', '0']);
    const first = c.worker(['--device', 'cpu', '--grace', '1s']);
    const enqueued = await c.cli(['enqueue', '--name', 'g', '--generations', '3', '--attempts', '2', '--adapter', 'generic', '--out', c.outDir, '--', process.execPath, trainer, marker]);
    expect(enqueued.code, enqueued.stderr).toBe(0);
    const keys = campaignKeys(c.prefix, 'g');
    const hungPid = await waitFor(async () => Number(await readFile(marker, 'utf8').catch(() => '')) || undefined, { timeoutMs: 120_000, what: 'the first trainer to hang' });

    // Past the grace: killed, handed back, not a failed attempt.
    const signalledAt = Date.now();
    first.child.kill('SIGTERM');
    expect(await exited(first)).toEqual({ code: 0, signal: null });
    expect(Date.now() - signalledAt).toBeGreaterThanOrEqual(1000);
    expect(processAlive(hungPid)).toBe(false);
    expect(first.output()).toMatch(/handing it back to the queue without counting an attempt/);
    const interrupted = await redis.hgetall(keys.trial(0));
    expect(interrupted.failedAttempts).toBeUndefined();
    expect(interrupted.error).toBeUndefined();
    expect(await redis.hget(keys.state, 'failed')).toBe('0');

    // Within the grace: the running trial finishes and its result is recorded.
    const second = c.worker(['--device', 'cpu', '--grace', '30s']);
    const workerKey = globalKeys(c.prefix).worker(`stop-host:${second.child.pid}:cpu`);
    const running = await waitFor(async () => (await redis.hget(workerKey, 'currentTrial')) ?? undefined, { timeoutMs: 120_000, what: 'the second worker to run a trial' });
    second.child.kill('SIGTERM');
    expect(await exited(second)).toEqual({ code: 0, signal: null });
    const index = Number(running.split('/')[1]);
    await waitFor(async () => (await redis.hget(keys.trial(index), 'status')) === 'succeeded', { timeoutMs: 120_000, what: `trial ${index} to be recorded` });

    c.worker();
    await waitForStatus(redis, c.prefix, 'g', 'done', 90_000);
    const data = await readCampaign(redis, c.prefix, 'g');
    expect(data.trials.map((t) => t.status)).toEqual(['succeeded', 'succeeded', 'succeeded']);
    expect(Number(data.state.failed)).toBe(0);
    expect(data.trials.every((t) => t.raw.failedAttempts === undefined)).toBe(true);
    // Trial 0 ran again as the same attempt, in a fresh directory.
    expect(data.trials[0]?.raw).toMatchObject({ attempt: '1', runName: '0-1-r2' });
  });
});
