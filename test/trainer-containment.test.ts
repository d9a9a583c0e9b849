import { randomBytes } from 'node:crypto';
import { readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, inject, it } from 'vitest';
import { fakeGpuEnv } from './support/fake-nvidia-smi.js';
import { processAlive, processesMentioning } from './support/faults.js';
import { BIN, runCli } from './support/processes.js';
import { waitFor } from './support/wait-for.js';
import { WorkerHarness } from './support/worker-harness.js';

/**
 * A generic trainer that starts a daemon the way a careless one does (setsid, its parent gone,
 * so in no group of the run and a child of init), notes its pid, then succeeds, fails or hangs.
 */
async function daemonTrainer(dir: string, then: 'succeed' | 'hang'): Promise<string> {
  const path = join(dir, `daemon-${then}.mjs`);
  await writeFile(path, [
    "import { spawn } from 'node:child_process';",
    "import { writeFileSync } from 'node:fs';",
    'const middle = spawn(process.execPath, ["-e", `',
    "  const { spawn } = require('node:child_process');",
    "  const daemon = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { detached: true, stdio: 'ignore' });",
    "  require('node:fs').writeFileSync(process.argv[1], String(daemon.pid));",
    '  daemon.unref();',
    '`, process.argv[2]], { stdio: "ignore" });',
    'middle.on("exit", () => {',
    then === 'succeed'
      ? '  writeFileSync(process.env.HYPEREVOLVE_METRICS_FILE, JSON.stringify({ fitness: 0.5 }));'
      : '  setInterval(() => {}, 1000);',
    '});',
  ].join('\n'));
  return path;
}

describe.runIf(process.platform === 'linux')('every process a trainer starts dies with its run (real worker)', () => {
  let h: WorkerHarness;

  beforeEach(async () => {
    h = await WorkerHarness.create(inject('redisUrl'), 'containment');
  });

  const escaped: number[] = [];
  afterEach(async () => {
    for (const pid of escaped.splice(0)) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // Gone.
      }
    }
    await h.cleanup();
  });

  for (const cgroups of ['on', 'off']) {
    it(`a daemon started with setsid dies after a successful trial and after a timeout (cgroups ${cgroups})`, async () => {
      await h.setCampaignStatus('exp', 'running');
      const okPid = join(h.dir, 'ok.pid');
      const hangPid = join(h.dir, 'hang.pid');
      await h.addTrial({ campaign: 'exp', index: 0, command: [process.execPath, await daemonTrainer(h.dir, 'succeed'), okPid], adapter: 'generic' });
      await h.addTrial({ campaign: 'exp', index: 1, command: [process.execPath, await daemonTrainer(h.dir, 'hang'), hangPid], adapter: 'generic', timeoutMs: 1500 });
      h.startWorker(undefined, { HYPEREVOLVE_TRAINER_CGROUPS: cgroups });

      const results = await h.waitForResults(2);
      expect(results.map((r) => [r.index, r.outcome, r.failure?.kind ?? null])).toEqual([[0, 'succeeded', null], [1, 'failed', 'timeout']]);
      for (const file of [okPid, hangPid]) {
        const pid = Number(await readFile(file, 'utf8'));
        await waitFor(() => !processAlive(pid), { timeoutMs: 10_000, what: `the daemon ${pid} (${file}) to be gone` });
      }
    });
  }

  it('worker --log-cap keeps train.log within the cap, its start and end, and says how much was left out', async () => {
    await h.setCampaignStatus('exp', 'running');
    const flood = join(h.dir, 'flood.mjs');
    await writeFile(flood, [
      "import { writeFileSync } from 'node:fs';",
      "process.stdout.write('first line\\n');",
      "const line = 'y'.repeat(99) + '\\n';",
      'for (let i = 0; i < 20_000; i++) process.stdout.write(line);',
      "process.stdout.write('last line\\n');",
      'writeFileSync(process.env.HYPEREVOLVE_METRICS_FILE, JSON.stringify({ fitness: 0.5 }));',
    ].join('\n'));
    await h.addTrial({ campaign: 'exp', index: 0, command: [process.execPath, flood], adapter: 'generic' });
    h.startWorker(['--device', 'cpu', '--allow-command', process.execPath, '--log-cap', '64K']);
    const [result] = await h.waitForResults(1);
    expect(result?.outcome).toBe('succeeded');
    const size = (await stat(result!.logPath)).size;
    expect(size).toBeLessThan(64 * 1024 + 300);
    const text = await readFile(result!.logPath, 'utf8');
    expect(text.startsWith('first line\n')).toBe(true);
    expect(text.endsWith('last line\n')).toBe(true);
    expect(text).toMatch(/\[… \d+ bytes of output left out here: train\.log keeps its first 32K and its last 32K \(worker --log-cap 64K\) …\]/);
  });

  /**
   * `bash -c "setsid env -i [vars] bash -c 'sleep <unique> & exit'; <succeed>"`: a process in a
   * session of its own, without the run's token, re-parented to init, holding the output.
   * Returns the command and the sleep's unique argument.
   */
  function escapingCommand(vars: string): { command: string[]; sleep: string } {
    const sleep = `29${String(Math.floor(Math.random() * 1e6)).padStart(6, '0')}`;
    const script = `setsid env -i ${vars} bash -c 'sleep ${sleep} & exit'; echo '{"fitness":0.5}' > "$HYPEREVOLVE_METRICS_FILE"`;
    return { command: ['bash', '-c', script], sleep };
  }

  async function sleeperPid(arg: string): Promise<number> {
    return waitFor(async () => {
      const found = (await processesMentioning(`sleep ${arg}`))[0];
      return found;
    }, { what: `the escaped sleep ${arg}` });
  }

  it('without cgroups, a run that leaves a process outside its group and environment is said in the log and in status; the trial still succeeds', async () => {
    await h.setCampaignStatus('exp', 'running');
    const { command, sleep } = escapingCommand('');
    await h.addTrial({ campaign: 'exp', index: 0, command, adapter: 'generic' });
    const worker = h.startWorker(['--device', 'cpu', '--allow-command', 'bash'], { HYPEREVOLVE_TRAINER_CGROUPS: 'off', HYPEREVOLVE_HOST: 'cpu-box' });
    const [result] = await h.waitForResults(1);
    escaped.push(await sleeperPid(sleep));
    expect(result?.outcome).toBe('succeeded');
    expect(worker.output()).toMatch(/the run may have left a process behind that escaped its process group and cleared its environment/);
    const env = { REDIS_URL: h.redisUrl, HYPEREVOLVE_PREFIX: h.prefix };
    const text = await waitFor(async () => {
      const status = await runCli(BIN.scheduler, ['status'], env);
      return status.stdout.includes('may have left a process behind') ? status.stdout : undefined;
    }, { what: 'status to warn about the escaped process' });
    expect(text).toMatch(/warning: the run of trainer \d+ on cpu-box cpu may have left a process behind/);
  });

  it('on a GPU, a process a run left there is shown in status and the next trial waits until it is gone', async () => {
    await h.setCampaignStatus('exp', 'running');
    const liveTag = randomBytes(8).toString('hex');
    const { command, sleep } = escapingCommand(`FAKE_GPU_LIVE_TAG=${liveTag} HYPEREVOLVE_DEVICE=0`);
    await h.addTrial({ campaign: 'exp', index: 0, command, adapter: 'generic' });
    await h.addTrial({ campaign: 'exp', index: 1, command: ['bash', '-c', 'echo \'{"fitness":0.6}\' > "$HYPEREVOLVE_METRICS_FILE"'], adapter: 'generic' });
    const worker = h.startWorker(['--device', 'auto', '--allow-command', 'bash'], {
      ...fakeGpuEnv({ count: 1, liveTag }),
      HYPEREVOLVE_TRAINER_CGROUPS: 'off',
      HYPEREVOLVE_HOST: 'gpu-box',
    });
    const [first] = await h.waitForResults(1);
    expect(first?.index).toBe(0);
    const pid = await sleeperPid(sleep);
    escaped.push(pid);
    await worker.waitForOutput(new RegExp(`not starting the trial: processes ${pid} are on this GPU`), 60_000);
    const env = { REDIS_URL: h.redisUrl, HYPEREVOLVE_PREFIX: h.prefix };
    const text = await waitFor(async () => {
      const status = await runCli(BIN.scheduler, ['status'], env);
      return status.stdout.includes(`process ${pid}`) ? status.stdout : undefined;
    }, { what: 'status to show the process left on the GPU' });
    expect(text).toContain(`warning: process ${pid} on gpu-box GPU 0 holding 100 MiB is on the GPU while no trial runs there`);
    expect((await h.postedResults()).map((r) => r.index)).toEqual([0]);

    process.kill(pid, 'SIGKILL');
    const results = await h.waitForResults(2);
    expect(results.map((r) => [r.index, r.outcome])).toEqual([[0, 'succeeded'], [1, 'succeeded']]);
    await worker.waitForOutput(/the GPU is free of other processes now; starting the trial/);
  });

  it('status warns about a process left on a GPU while no trial runs there', async () => {
    const stray = process.pid;
    const worker = h.startWorker(['--device', 'auto', '--allow-command', process.execPath], {
      ...fakeGpuEnv({ count: 1, apps: [{ index: 0, pid: stray, memoryMiB: 3512 }] }),
      HYPEREVOLVE_HOST: 'gpu-box',
    });
    await worker.waitForOutput(/processes left on this device/);
    const env = { REDIS_URL: h.redisUrl, HYPEREVOLVE_PREFIX: h.prefix };
    const text = await waitFor(async () => {
      const status = await runCli(BIN.scheduler, ['status'], env);
      return status.stdout.includes('warning:') ? status.stdout : undefined;
    }, { what: 'status to warn about the stray process' });
    expect(text).toContain(`warning: process ${stray} on gpu-box GPU 0 holding 3512 MiB is on the GPU while no trial runs there`);
    expect(text).toContain(`kill ${stray}`);
    const json = JSON.parse((await runCli(BIN.scheduler, ['status', '--json'], env)).stdout) as { workers: { strays: unknown[] }[] };
    expect(json.workers[0]?.strays).toEqual([{ pid: stray, memoryMiB: 3512, origin: 'gpu-process' }]);
  });
});
