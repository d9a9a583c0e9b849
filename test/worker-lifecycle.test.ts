import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterEach, beforeEach, describe, expect, inject, it } from 'vitest';
import { campaignKeys, trialJobId, WorkerHeartbeatSchema } from '@hyperevolve/contract';
import { freePort, startPrivateRedis, type PrivateRedis } from './support/private-redis.js';
import { BIN, runCli } from './support/processes.js';
import { processAlive, WorkerHarness } from './support/worker-harness.js';
import { waitFor } from './support/wait-for.js';

const SIM = [process.execPath, BIN.simTrain, '--epochs', '2', '--duration-ms', '100'];

/**
 * A generic trainer that hangs (printing its pid) the first time it runs for a trial and
 * succeeds the next time: a run interrupted by a stopping worker must be re-run elsewhere.
 */
async function hangOnceScript(dir: string): Promise<string> {
  const path = join(dir, 'hang-once.mjs');
  await writeFile(path, [
    "import { existsSync, writeFileSync } from 'node:fs';",
    "const marker = process.argv[2];",
    "if (!existsSync(marker)) {",
    "  writeFileSync(marker, String(process.pid));",
    "  console.log('hanging', process.pid);",
    "  setInterval(() => {}, 1000);",
    "} else {",
    "  writeFileSync(process.env.HYPEREVOLVE_METRICS_FILE, JSON.stringify({ fitness: 0.5 }));",
    "}",
  ].join('\n'));
  return path;
}

describe('worker process', () => {
  let h: WorkerHarness;

  beforeEach(async () => {
    h = await WorkerHarness.create(inject('redisUrl'), 'life');
  });

  afterEach(async () => {
    await h.cleanup();
  });

  it('refuses to start without an allow-list: exit 2 and how to fix it', async () => {
    const result = await runCli(BIN.worker, ['--device', 'cpu'], h.env());
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/no allow-list.*--allow-command "python train.py".*HYPEREVOLVE_ALLOW_COMMANDS/);
  });

  it('exits 2 on bad flags and prints help with --help', async () => {
    const bad = await runCli(BIN.worker, ['--device', 'cpu', '--allow-command', 'x', '--gpus', '2'], h.env());
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/unknown flag --gpus.*see worker --help/);
    const help = await runCli(BIN.worker, ['--help'], h.env());
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/--devices[\s\S]*HYPEREVOLVE_ALLOW_COMMANDS[\s\S]*Example/);
  });

  it('exits 2 with a clear message when Redis does not answer, never showing the password', async () => {
    const result = await runCli(BIN.worker, ['--device', 'cpu', '--allow-command', 'x'], h.env({ REDIS_URL: 'redis://:hunter2@127.0.0.1:1', HYPEREVOLVE_CONNECT_TIMEOUT_MS: '1000' }));
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/Redis at redis:\/\/:\*\*\*@127\.0\.0\.1:1/);
    expect(result.stdout + result.stderr).not.toContain('hunter2');
  });

  it('--devices 0,1: one heartbeat per device with the trial it runs; a clean stop removes them', async () => {
    await h.setCampaignStatus('exp', 'running');
    const worker = h.startWorker(['--devices', '0,1', '--allow-command', process.execPath], { HYPEREVOLVE_HOST: 'sim-host-a' });
    const pid = worker.child.pid!;
    const ids = [`sim-host-a:${pid}:0`, `sim-host-a:${pid}:1`];
    await waitFor(async () => (await h.registeredWorkers()).length === 2, { what: 'two registered device-workers' });
    expect((await h.registeredWorkers()).sort()).toEqual(ids);
    const beat = WorkerHeartbeatSchema.parse(await h.heartbeat(ids[0]!));
    expect(beat).toMatchObject({ id: ids[0], host: 'sim-host-a', device: '0', pid });
    const ttl = await h.redis.pttl(`${h.prefix}:worker:${ids[0]}`);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(900);

    await h.addTrial({ campaign: 'exp', index: 0, command: [process.execPath, BIN.simTrain, '--epochs', '2', '--duration-ms', '3000'] });
    const busy = await waitFor(async () => {
      for (const id of ids) {
        const hash = await h.heartbeat(id);
        if (hash.currentTrial === 'exp/0') return WorkerHeartbeatSchema.parse(hash);
      }
      return undefined;
    }, { what: 'a heartbeat with currentTrial exp/0' });
    expect(busy.trialStartedAt).toBeGreaterThan(0);
    const [result] = await h.waitForResults(1);
    expect(result!.command).toContain('--device');
    expect(result!.command[result!.command.indexOf('--device') + 1]).toBe(busy.device);
    await waitFor(async () => {
      const hash = await h.heartbeat(`sim-host-a:${pid}:${busy.device}`);
      return hash.currentTrial === undefined && hash.lastTrialEndedAt !== undefined;
    }, { what: 'the heartbeat to clear currentTrial' });

    worker.child.kill('SIGTERM');
    expect(await worker.exited).toEqual({ code: 0, signal: null });
    expect(await h.registeredWorkers()).toEqual([]);
    expect(await h.redis.exists(...ids.map((id) => `${h.prefix}:worker:${id}`))).toBe(0);
  });

  it('SIGTERM with --grace 0 kills the running trainer, hands the job back without counting an attempt, and exits 0', async () => {
    const script = await hangOnceScript(h.dir);
    const marker = join(h.dir, 'hung.pid');
    await h.setCampaignStatus('exp', 'running');
    await h.addTrial({ campaign: 'exp', index: 3, command: [process.execPath, script, marker], adapter: 'generic' }, 2);
    const first = h.startWorker(['--device', 'cpu', '--allow-command', process.execPath, '--grace', '0']);
    const trainerPid = await waitFor(async () => Number(await readFile(marker, 'utf8').catch(() => '')) || undefined, { what: 'the trainer to hang' });

    first.child.kill('SIGTERM');
    expect(await first.exited).toEqual({ code: 0, signal: null });
    expect(processAlive(trainerPid)).toBe(false);
    const job = await h.trials.getJob(trialJobId('exp', 3));
    expect(await job?.getState()).toBe('waiting');
    expect(job?.attemptsMade).toBe(0);
    expect(await h.postedResults()).toEqual([]);
    expect(first.output()).toMatch(/handing it back to the queue without counting an attempt/);
    expect(first.output()).toMatch(/stopping now: killing trial exp\/3 and handing it back to the queue/);
    expect(first.output()).not.toMatch(/finishing trial/);

    h.startWorker();
    const [result] = await h.waitForResults(1);
    expect(result).toMatchObject({ index: 3, attempt: 1, runName: '3-1-r2', outcome: 'succeeded', fitness: 0.5, final: true });
  });

  it('SIGTERM with --grace lets the running trial finish and report first', async () => {
    await h.setCampaignStatus('exp', 'running');
    await h.addTrial({ campaign: 'exp', index: 1, command: [process.execPath, BIN.simTrain, '--epochs', '3', '--duration-ms', '4500'] });
    await h.addTrial({ campaign: 'exp', index: 2, command: SIM });
    const worker = h.startWorker(['--device', 'cpu', '--allow-command', process.execPath, '--grace', '60s']);
    // Its first epoch recorded: the trainer runs. (A trial marked running whose trainer has not
    // started yet is handed back at a stop, not finished: under load the signal landed there.)
    await waitFor(async () => Number((await h.trialHash('exp', 1)).epoch ?? 0) >= 1, { timeoutMs: 30_000, what: 'trial 1\'s trainer to finish its first epoch' });

    worker.child.kill('SIGTERM');
    expect(await worker.exited).toEqual({ code: 0, signal: null });
    const results = await h.postedResults();
    expect(results.map((r) => [r.index, r.outcome])).toEqual([[1, 'succeeded']]);
    expect(await h.trials.getJobState(trialJobId('exp', 2))).toBe('waiting');
  });

  it('a second signal exits at once, still kills the trainer, and leaves the worker registry (no phantom SILENT worker)', async () => {
    const script = await hangOnceScript(h.dir);
    const marker = join(h.dir, 'hung.pid');
    await h.setCampaignStatus('exp', 'running');
    await h.addTrial({ campaign: 'exp', index: 4, command: [process.execPath, script, marker], adapter: 'generic' });
    const worker = h.startWorker(['--device', 'cpu', '--allow-command', process.execPath, '--grace', '10m']);
    const trainerPid = await waitFor(async () => Number(await readFile(marker, 'utf8').catch(() => '')) || undefined, { what: 'the trainer to hang' });

    await waitFor(async () => (await h.registeredWorkers()).length === 1, { what: 'the worker to register' });
    worker.child.kill('SIGTERM');
    await worker.waitForOutput(/stopping: no new trials/);
    await worker.waitForOutput(/stopping: finishing trial exp\/4 first, for at most 10m \(--grace\)/);
    expect(processAlive(trainerPid)).toBe(true);
    worker.child.kill('SIGINT');
    expect((await worker.exited).code).toBe(130);
    await waitFor(() => !processAlive(trainerPid), { timeoutMs: 5000, what: 'the trainer to be killed' });
    expect(await h.registeredWorkers()).toEqual([]);
  });
});

describe('worker and a Redis restart', () => {
  let redis: PrivateRedis;
  let h: WorkerHarness;

  beforeEach(async () => {
    redis = await startPrivateRedis();
    h = await WorkerHarness.create(redis.url, 'restart');
  });

  afterEach(async () => {
    await h.cleanup();
    await redis.stop();
  });

  it('keeps running through a Redis restart and takes trials afterwards', async () => {
    await h.setCampaignStatus('exp', 'running');
    await h.addTrial({ campaign: 'exp', index: 0, command: SIM });
    const worker = h.startWorker();
    await h.waitForResults(1);

    await redis.kill('SIGKILL');
    await worker.waitForOutput(/redis connection problem|queue worker problem/);
    await redis.restart();
    expect(worker.child.exitCode).toBeNull();

    // The restarted Redis kept nothing (no persistence here): play the scheduler again.
    const client = new Redis(redis.url);
    try {
      await waitFor(async () => (await client.ping()) === 'PONG');
      await h.setCampaignStatus('exp', 'running');
      await h.addTrial({ campaign: 'exp', index: 1, command: SIM });
      const results = await h.waitForResults(1, (r) => r.index === 1, 60_000);
      expect(results[0]).toMatchObject({ outcome: 'succeeded', runName: '1-1' });
      expect((await client.hget(campaignKeys(h.prefix, 'exp').trial(1), 'status'))).toBe('running');
    } finally {
      client.disconnect();
    }
  });
});

describe('worker started before its Redis', () => {
  it('waits for Redis within HYPEREVOLVE_CONNECT_TIMEOUT_MS, then takes trials', async () => {
    const port = await freePort();
    const h = await WorkerHarness.create(`redis://127.0.0.1:${port}`, 'early');
    let redis: PrivateRedis | undefined;
    try {
      const worker = h.startWorker(['--device', 'cpu', '--allow-command', process.execPath], { HYPEREVOLVE_CONNECT_TIMEOUT_MS: '60000' });
      await worker.waitForOutput(/redis connection problem; retrying/);
      redis = await startPrivateRedis({ port });
      await worker.waitForOutput(/worker started/);
      await h.setCampaignStatus('exp', 'running');
      await h.addTrial({ campaign: 'exp', index: 0, command: SIM });
      const [result] = await h.waitForResults(1);
      expect(result).toMatchObject({ outcome: 'succeeded' });
    } finally {
      await h.cleanup();
      await redis?.stop();
    }
  });
});
