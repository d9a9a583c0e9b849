import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Cluster } from './support/cluster.js';
import { processAlive, processesMentioning } from './support/faults.js';
import type { Managed } from './support/processes.js';
import { startPrivateRedis, type PrivateRedis } from './support/private-redis.js';
import { uniquePrefix } from './support/redis-prefix.js';
import { waitFor } from './support/wait-for.js';

let server: PrivateRedis | null = null;
let cluster: Cluster | null = null;
afterEach(async () => {
  await cluster?.stop();
  await server?.stop();
  cluster = null;
  server = null;
});

/** How the process ended, or 'still running' after `ms`. */
async function exitWithin(p: Managed, ms: number): Promise<{ code: number | null; signal: NodeJS.Signals | null } | 'still running'> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'still running'>((resolve) => {
    timer = setTimeout(() => resolve('still running'), ms);
  });
  try {
    return await Promise.race([p.exited, late]);
  } finally {
    clearTimeout(timer);
  }
}

describe('SIGTERM while Redis is down', () => {
  it('serve and the worker stop within their grace, saying what could not be saved', { timeout: 180_000 }, async () => {
    server = await startPrivateRedis();
    cluster = await Cluster.create({ redisUrl: server.url, prefix: uniquePrefix('stop-no-redis'), env: { HYPEREVOLVE_LOCK_MS: '2000', HYPEREVOLVE_STALLED_MS: '1000' } });
    const c = cluster;
    const serve = c.serve(['--grace', '2s']);
    // --grace 0: the hung trial is killed at the stop (without it, it would be waited for).
    const worker = c.worker(['--device', 'cpu', '--grace', '0']);
    await c.enqueue(['--name', 'stuck', '--generations', '2', '--seed', '1'], ['--fail', 'hang']);
    await worker.waitForOutput(/trial started/, 60_000);
    const trainers = await waitFor(async () => {
      const pids = await processesMentioning(`${c.workdir}/stuck/`);
      return pids.length > 0 ? pids : undefined;
    }, { what: 'the trainer to run' });

    await server.kill('SIGKILL');
    serve.child.kill('SIGTERM');
    worker.child.kill('SIGTERM');
    // serve: --grace 2s; the worker: --grace 0, the trainer's end, then 5 s to save; both with room for a loaded machine.
    const [serveEnd, workerEnd] = await Promise.all([exitWithin(serve, 30_000), exitWithin(worker, 30_000)]);
    expect(serveEnd, serve.output().slice(-3000)).toEqual({ code: 1, signal: null });
    expect(workerEnd, worker.output().slice(-3000)).toEqual({ code: 1, signal: null });
    expect(serve.output()).toMatch(/stopped after --grace 2000 ms without Redis \(it did not answer; the stop was .*\): .*next serve/);
    expect(worker.output()).toMatch(/stopping without Redis \(it did not answer within 5000 ms of the trainers' end\): not saved: handing trial job stuck#\d+ back to the queue\. A trial whose result or hand-back was lost runs again/);
    for (const pid of trainers) await waitFor(() => !processAlive(pid), { timeoutMs: 10_000, what: `trainer ${pid} to be gone` });
  });
});

describe('a finishing stop while Redis is down', () => {
  it('the worker lets the running trial finish, then exits 1 within a few seconds, saying what could not be saved', { timeout: 180_000 }, async () => {
    server = await startPrivateRedis();
    cluster = await Cluster.create({ redisUrl: server.url, prefix: uniquePrefix('drain-no-redis'), env: { HYPEREVOLVE_LOCK_MS: '2000', HYPEREVOLVE_STALLED_MS: '1000' } });
    const c = cluster;
    c.serve();
    const worker = c.worker();
    await c.enqueue(['--name', 'drain', '--generations', '1', '--seed', '1'], ['--epochs', '4', '--duration-ms', '6000']);
    await worker.waitForOutput(/trial started/, 60_000);
    const runDir = `${c.workdir}/drain/0-1`;
    const trainer = await waitFor(async () => (await processesMentioning(runDir))[0], { what: 'the trainer to run' });

    await server.kill('SIGKILL');
    worker.child.kill('SIGTERM');
    await worker.waitForOutput(/stopping: finishing trial drain\/0 first, however long it takes/);
    // The trainer is not killed: it ends by itself, its 4 epochs written; then 5 s to save, and out.
    await waitFor(() => !processAlive(trainer), { timeoutMs: 60_000, what: 'the trainer to finish' });
    expect(await exitWithin(worker, 30_000), worker.output().slice(-3000)).toEqual({ code: 1, signal: null });
    const rows = (await readFile(join(runDir, 'results.csv'), 'utf8')).split('\n').filter((line) => /^\s*\d/.test(line));
    expect(rows).toHaveLength(4);
    expect(worker.output()).toMatch(/stopping without Redis \(it did not answer within 5000 ms of the trainers' end\)/);
    expect(worker.output()).not.toMatch(/killing trial|interrupted/);
  });
});
