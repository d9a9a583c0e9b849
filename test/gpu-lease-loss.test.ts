import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, inject, it } from 'vitest';
import { globalKeys } from '@hyperevolve/contract';
import { fakeGpuEnv, fakeGpuUuid } from './support/fake-nvidia-smi.js';
import { hangOnceScript } from './support/hang-once-trainer.js';
import { waitFor } from './support/wait-for.js';
import { processAlive, WorkerHarness } from './support/worker-harness.js';

describe('a GPU lease that lapses or goes to another worker', () => {
  let h: WorkerHarness;

  beforeEach(async () => {
    h = await WorkerHarness.create(inject('redisUrl'), 'gpu-loss');
  });

  afterEach(async () => {
    await h.cleanup();
  });

  it('is taken again when it lapsed; when someone else holds it, the trial there is killed and handed back, and the worker moves to a free GPU', async () => {
    const marker = join(h.dir, 'hung');
    await h.setCampaignStatus('exp', 'running');
    await h.addTrial({ campaign: 'exp', index: 0, command: [process.execPath, await hangOnceScript(h.dir), marker], adapter: 'generic' }, 2);
    const worker = h.startWorker(['--device', 'auto', '--allow-command', process.execPath], {
      ...fakeGpuEnv({ count: 2 }),
      HYPEREVOLVE_GPU_LEASE_MS: '1500',
      HYPEREVOLVE_HOST: 'box',
    });
    const me = (index: number) => `box:${worker.child.pid}:${index}`;
    const lease = (index: number) => globalKeys(h.prefix).gpuLease(fakeGpuUuid(index));
    const [trainerPid, device] = (await waitFor(async () => (await readFile(marker, 'utf8').catch(() => '')) || undefined, { what: 'the trainer to hang' })).split(' ');
    expect(device).toBe('0');

    await h.redis.del(lease(0));
    await worker.waitForOutput(/the GPU lease had lapsed .* and nobody had taken it; took it again/);
    const holder = await h.redis.get(lease(0));
    expect(holder).toMatch(new RegExp(`^${me(0)}#[0-9a-f]{8}$`));
    expect(processAlive(Number(trainerPid))).toBe(true);

    await h.redis.set(lease(0), 'thief:1:0', 'PX', 60_000);
    await worker.waitForOutput(/lost the lease of GPU 0 to thief:1:0; stopping work on it now/);
    await waitFor(() => !processAlive(Number(trainerPid)), { timeoutMs: 10_000, what: 'the trainer on the lost GPU to be killed' });
    const [result] = await h.waitForResults(1);
    expect(result).toMatchObject({ outcome: 'succeeded', attempt: 1, runName: '0-1-r2', worker: { id: me(1), device: '1', gpuUuid: fakeGpuUuid(1) } });
    expect(await h.redis.get(lease(0))).toBe('thief:1:0');
    expect(await h.redis.get(lease(1))).toBe(`${me(1)}#${holder?.split('#')[1]}`);
    await waitFor(async () => (await h.registeredWorkers()).join() === me(1), { what: 'only the device-worker on GPU 1 to be registered' });
  });
});
