import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, inject, it } from 'vitest';
import { globalKeys } from '@hyperevolve/contract';
import { fakeGpuEnv, fakeGpuUuid } from './support/fake-nvidia-smi.js';
import { hangOnceScript } from './support/hang-once-trainer.js';
import { processAlive } from './support/faults.js';
import type { Managed } from './support/processes.js';
import { waitFor } from './support/wait-for.js';
import { WorkerHarness } from './support/worker-harness.js';

const LEASE_MS = 3000;

describe.runIf(process.platform === 'linux')('a worker frozen (SIGSTOP) past its GPU lease', () => {
  let h: WorkerHarness;
  let frozen: Managed | undefined;

  beforeEach(async () => {
    h = await WorkerHarness.create(inject('redisUrl'), 'gpu-frozen');
  });

  afterEach(async () => {
    if (frozen?.child.pid !== undefined) {
      try {
        process.kill(frozen.child.pid, 'SIGCONT');
      } catch {
        // Gone.
      }
    }
    await h.cleanup();
  });

  it('its trainer is dead before another worker can take the GPU, and its run posts no result after SIGCONT', async () => {
    const marker = join(h.dir, 'hung');
    await h.setCampaignStatus('exp', 'running');
    await h.addTrial({ campaign: 'exp', index: 0, command: [process.execPath, await hangOnceScript(h.dir), marker], adapter: 'generic' }, 3);
    const env = { ...fakeGpuEnv({ count: 2 }), HYPEREVOLVE_GPU_LEASE_MS: String(LEASE_MS), HYPEREVOLVE_HOST: 'box' };
    const workers = [1, 2, 3].map(() => h.startWorker(['--device', 'auto', '--allow-command', process.execPath], env));
    const [trainerText, device] = (await waitFor(async () => (await readFile(marker, 'utf8').catch(() => '')) || undefined, { timeoutMs: 60_000, what: 'the trainer to hang' })).split(' ');
    const trainerPid = Number(trainerText);
    const lease = globalKeys(h.prefix).gpuLease(fakeGpuUuid(Number(device)));
    const holder = (await h.redis.get(lease)) ?? '';
    frozen = workers.find((w) => holder.startsWith(`box:${w.child.pid}:`));
    expect(frozen, `the lease holder ${holder} is one of the workers`).toBeDefined();
    const frozenPid = frozen!.child.pid!;

    process.kill(frozenPid, 'SIGSTOP');
    const next = await waitFor(async () => {
      const now = await h.redis.get(lease);
      return now !== null && !now.startsWith(`box:${frozenPid}:`) ? now : undefined;
    }, { timeoutMs: 60_000, intervalMs: 20, what: `another worker to take GPU ${device}` });
    // The moment another worker holds the GPU, the frozen worker's trainer is gone already.
    expect(processAlive(trainerPid), `trainer ${trainerPid} still runs on GPU ${device}, now leased to ${next}`).toBe(false);

    // The trial is run again by a worker that holds a GPU, and succeeds.
    const [rerun] = await h.waitForResults(1, (r) => r.index === 0);
    expect(rerun).toMatchObject({ outcome: 'succeeded', attempt: 1 });
    expect(rerun?.worker.id.startsWith(`box:${frozenPid}:`)).toBe(false);

    process.kill(frozenPid, 'SIGCONT');
    await frozen!.waitForOutput(/this run ended after the worker lost its GPU lease; its result is not posted/, 30_000);
    await frozen!.waitForOutput(/lost the lease of GPU \d|stopping work on GPU \d/, 30_000);
    // Nothing from the frozen worker's run: still the one result.
    const results = (await h.postedResults()).filter((r) => r.index === 0);
    expect(results.map((r) => [r.worker.id.startsWith(`box:${frozenPid}:`), r.outcome])).toEqual([[false, 'succeeded']]);
    expect(frozen!.output()).toMatch(/the lease watchdog killed the trainer/);
  }, 180_000);
});
