import { readdirSync, readFileSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, inject, it } from 'vitest';
import { globalKeys } from '@hyperevolve/contract';
import { startCpuHogs } from './support/cpu-hog.js';
import { fakeGpuEnv, fakeGpuUuid } from './support/fake-nvidia-smi.js';
import { processAlive } from './support/faults.js';
import type { Managed } from './support/processes.js';
import { waitFor } from './support/wait-for.js';
import { WorkerHarness } from './support/worker-harness.js';

const LEASE_MS = 3000;

/**
 * `node <script> <marker>`: the first run writes "<pid> <HYPEREVOLVE_DEVICE>" to the marker and
 * hangs; every later run appends "<its device> <alive|gone>" to `<marker>.reruns`, saying
 * whether the first run's trainer was still alive (and not a zombie) the moment it started,
 * then succeeds.
 */
async function overlapScript(dir: string): Promise<string> {
  const path = join(dir, 'overlap.mjs');
  await writeFile(path, [
    "import { appendFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';",
    'const marker = process.argv[2];',
    'const device = process.env.HYPEREVOLVE_DEVICE;',
    'if (!existsSync(marker)) {',
    '  writeFileSync(marker, `${process.pid} ${device}`);',
    '  setInterval(() => {}, 1000);',
    '} else {',
    "  const first = readFileSync(marker, 'utf8').split(' ')[0];",
    "  let state = 'gone';",
    '  try {',
    "    const stat = readFileSync(`/proc/${first}/stat`, 'utf8');",
    "    if (stat[stat.lastIndexOf(')') + 2] !== 'Z') state = 'alive';",
    '  } catch {}',
    '  appendFileSync(`${marker}.reruns`, `${device} ${state}\\n`);',
    '  writeFileSync(process.env.HYPEREVOLVE_METRICS_FILE, JSON.stringify({ fitness: 0.5 }));',
    '}',
  ].join('\n'));
  return path;
}

/** The lease watchdog a worker started (a detached child of its own). */
function watchdogOf(workerPid: number): number {
  for (const name of readdirSync('/proc').filter((entry) => /^\d+$/.test(entry))) {
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === workerPid && readFileSync(`/proc/${name}/cmdline`, 'utf8').includes('lease-watchdog')) return Number(name);
    } catch {
      // Gone meanwhile.
    }
  }
  throw new Error(`worker ${workerPid} has no lease watchdog`);
}

describe.runIf(process.platform === 'linux')('a worker frozen (SIGSTOP) past its GPU lease, on a loaded machine', () => {
  let h: WorkerHarness;
  const stopped: number[] = [];

  beforeEach(async () => {
    h = await WorkerHarness.create(inject('redisUrl'), 'gpu-frozen');
    // Each CPU busy beside the test: the guarantee must not need the watchdog scheduled on time.
    startCpuHogs(h.group);
  });

  afterEach(async () => {
    for (const pid of stopped.splice(0)) {
      try {
        process.kill(pid, 'SIGCONT');
      } catch {
        // Gone.
      }
    }
    await h.cleanup();
  });

  /**
   * Two workers, one GPU: the first runs a trainer that hangs and is frozen; the second takes
   * the GPU once the lease lapses and re-runs the trial there. Returns what the re-run saw.
   */
  async function freezeHolder(alsoFreezeWatchdog: boolean): Promise<{ frozen: Managed; other: Managed; trainerPid: number; marker: string }> {
    const marker = join(h.dir, 'hung');
    await h.setCampaignStatus('exp', 'running');
    await h.addTrial({ campaign: 'exp', index: 0, command: [process.execPath, await overlapScript(h.dir), marker], adapter: 'generic' }, 3);
    // The fake nvidia-smi shows the hung trainer on GPU 0 while it lives, as a real one does
    // (noted in the file as soon as it is known; no scan of every process's environment, which a
    // loaded machine can hold up for longer than nvidia-smi may take).
    const appsFile = join(h.dir, 'gpu-apps');
    const env = { ...fakeGpuEnv({ count: 1, appsFile }), HYPEREVOLVE_GPU_LEASE_MS: String(LEASE_MS), HYPEREVOLVE_HOST: 'box' };
    // Each its own workdir, as in containers of their own: the new holder cannot find the frozen
    // worker's trainer in the workdir's records (TrainerRecords.sweep); only the GPU shows it.
    const workers = [1, 2].map((n) => h.startWorker(['--device', 'auto', '--allow-command', process.execPath], env, join(h.dir, `trials-${n}`)));
    const trainerPid = Number((await waitFor(async () => (await readFile(marker, 'utf8').catch(() => '')) || undefined, { timeoutMs: 60_000, what: 'the trainer to hang' })).split(' ')[0]);
    await writeFile(appsFile, `0:${trainerPid}:100\n`);
    const lease = globalKeys(h.prefix).gpuLease(fakeGpuUuid(0));
    const holder = (await h.redis.get(lease)) ?? '';
    const frozen = workers.find((w) => holder.startsWith(`box:${w.child.pid}:`));
    const other = workers.find((w) => w !== frozen);
    expect(frozen, `the lease holder ${holder} is one of the workers`).toBeDefined();
    const frozenPid = frozen!.child.pid!;
    const watchdog = watchdogOf(frozenPid);

    process.kill(frozenPid, 'SIGSTOP');
    stopped.push(frozenPid);
    if (alsoFreezeWatchdog) {
      process.kill(watchdog, 'SIGSTOP');
      stopped.push(watchdog);
    }
    await waitFor(async () => {
      const now = await h.redis.get(lease);
      return now !== null && !now.startsWith(`box:${frozenPid}:`) ? now : undefined;
    }, { timeoutMs: 60_000, intervalMs: 20, what: 'the other worker to take GPU 0' });
    if (alsoFreezeWatchdog) {
      // Nothing has killed the trainer: the new holder must not start a second one beside it.
      await other!.waitForOutput(new RegExp(`not starting the trial: processes ${trainerPid} are on this GPU`), 60_000);
      expect(processAlive(trainerPid)).toBe(true);
      process.kill(watchdog, 'SIGCONT');
    }
    return { frozen: frozen!, other: other!, trainerPid, marker };
  }

  async function expectNoOverlap({ frozen, other, trainerPid, marker }: { frozen: Managed; other: Managed; trainerPid: number; marker: string }): Promise<void> {
    const frozenPid = frozen.child.pid!;
    const [rerun] = await h.waitForResults(1, (r) => r.index === 0).catch((error: unknown) => {
      // What the new holder was doing, and whether the frozen worker's trainer still lives.
      const tail = other.output().split('\n').slice(-30).join('\n');
      throw new Error(`${error instanceof Error ? error.message : String(error)}; the frozen worker's trainer ${trainerPid} is ${processAlive(trainerPid) ? 'alive' : 'gone'}; the other worker's last lines:\n${tail}`, { cause: error });
    });
    expect(rerun).toMatchObject({ outcome: 'succeeded', attempt: 1 });
    expect(rerun?.worker.id.startsWith(`box:${frozenPid}:`)).toBe(false);
    // The re-run started on GPU 0 only once the frozen worker's trainer was gone.
    expect(await readFile(`${marker}.reruns`, 'utf8')).toBe('0 gone\n');

    process.kill(frozenPid, 'SIGCONT');
    await frozen.waitForOutput(/this run ended after the worker lost its GPU lease; its result is not posted/, 30_000);
    await frozen.waitForOutput(/lost the lease of GPU \d|stopping work on GPU \d/, 30_000);
    // Nothing from the frozen worker's run: still the one result.
    const results = (await h.postedResults()).filter((r) => r.index === 0);
    expect(results.map((r) => [r.worker.id.startsWith(`box:${frozenPid}:`), r.outcome])).toEqual([[false, 'succeeded']]);
    expect(frozen.output()).toMatch(/the lease watchdog killed the trainer/);
  }

  it('its watchdog kills its trainer, and the next holder of the GPU starts no trainer before that one is gone', async () => {
    await expectNoOverlap(await freezeHolder(false));
  }, 180_000);

  it('with its watchdog frozen too, the next holder takes the lease but waits for the old trainer to leave the GPU', async () => {
    await expectNoOverlap(await freezeHolder(true));
  }, 180_000);
});
