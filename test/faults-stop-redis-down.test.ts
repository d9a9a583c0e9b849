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
    const worker = c.worker();
    await c.enqueue(['--name', 'stuck', '--generations', '2', '--seed', '1'], ['--fail', 'hang']);
    await worker.waitForOutput(/trial started/, 60_000);
    const trainers = await waitFor(async () => {
      const pids = await processesMentioning(`${c.workdir}/stuck/`);
      return pids.length > 0 ? pids : undefined;
    }, { what: 'the trainer to run' });

    await server.kill('SIGKILL');
    serve.child.kill('SIGTERM');
    worker.child.kill('SIGTERM');
    // serve: --grace 2s; the worker: --grace 0 plus 5 s to save; both with room for a loaded machine.
    const [serveEnd, workerEnd] = await Promise.all([exitWithin(serve, 30_000), exitWithin(worker, 30_000)]);
    expect(serveEnd, serve.output().slice(-3000)).toEqual({ code: 1, signal: null });
    expect(workerEnd, worker.output().slice(-3000)).toEqual({ code: 1, signal: null });
    expect(serve.output()).toMatch(/stopped after --grace 2000 ms without Redis \(it did not answer; the stop was .*\): .*next serve/);
    expect(worker.output()).toMatch(/stopping without Redis \(it did not answer within 5000 ms of the stop\): not saved: handing trial job stuck#\d+ back to the queue\. A trial whose result or hand-back was lost runs again/);
    for (const pid of trainers) await waitFor(() => !processAlive(pid), { timeoutMs: 10_000, what: `trainer ${pid} to be gone` });
  });
});
