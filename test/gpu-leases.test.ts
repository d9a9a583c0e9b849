import { afterEach, beforeEach, describe, expect, inject, it } from 'vitest';
import { globalKeys, WorkerHeartbeatSchema } from '@hyperevolve/contract';
import { fakeGpuEnv, fakeGpuUuid } from './support/fake-nvidia-smi.js';
import { BIN, runCli, type Managed } from './support/processes.js';
import { waitFor } from './support/wait-for.js';
import { WorkerHarness } from './support/worker-harness.js';

const LEASE_MS = 2000;
const AUTO = ['--device', 'auto', '--allow-command', process.execPath];

/**
 * `worker --device auto` processes against a fake nvidia-smi: GPU leases in Redis, what the
 * workers say, their heartbeats. No scheduler runs; nothing trains.
 */
describe('GPU leases', () => {
  let h: WorkerHarness;

  beforeEach(async () => {
    h = await WorkerHarness.create(inject('redisUrl'), 'gpu');
  });

  afterEach(async () => {
    await h.cleanup();
  });

  function env(host: string, gpus: Parameters<typeof fakeGpuEnv>[0], extra: Record<string, string> = {}): Record<string, string> {
    return { ...fakeGpuEnv(gpus), HYPEREVOLVE_GPU_LEASE_MS: String(LEASE_MS), HYPEREVOLVE_HOST: host, ...extra };
  }

  /** The holder of each fake GPU's lease (null: free), by index. */
  async function holders(count: number): Promise<(string | null)[]> {
    return h.redis.mget(Array.from({ length: count }, (_, index) => globalKeys(h.prefix).gpuLease(fakeGpuUuid(index))));
  }

  async function allHeld(count: number): Promise<string[]> {
    return waitFor(async () => {
      const held = (await holders(count)).filter((holder): holder is string => holder !== null);
      return held.length === count ? held : undefined;
    }, { timeoutMs: 60_000, what: `all ${count} GPU leases to be held` });
  }

  function ownerOf(holder: string, workers: readonly Managed[]): Managed | undefined {
    return workers.find((worker) => holder.split(':')[1] === String(worker.child.pid));
  }

  const waitingLine = /waiting for a free GPU/;

  it('9 workers on 8 GPUs: 8 distinct GPUs, the 9th waits and says why, then takes the GPU of one killed with SIGKILL once its lease lapses; a clean stop releases', async () => {
    const workers = Array.from({ length: 9 }, () => h.startWorker(AUTO, env('box', { count: 8 })));
    const held = await allHeld(8);
    expect(new Set(held).size).toBe(8);
    held.forEach((holder, index) => expect(holder).toMatch(new RegExp(`^box:\\d+:${index}#[0-9a-f]{8}$`)));
    const owners = held.map((holder) => ownerOf(holder, workers));
    expect(owners.every((owner) => owner !== undefined)).toBe(true);
    const waiter = workers.find((worker) => !owners.includes(worker))!;
    await waiter.waitForOutput(waitingLine, 30_000);
    expect(waiter.output()).toMatch(/waiting for a free GPU: all 8 GPUs are taken or skipped: GPU 0 \(GPU-00000000-0000-4000-8000-000000000000\) is leased by box:\d+:0#[0-9a-f]{8};.*Checking every 500 ms; a dead worker's GPU frees when its lease lapses \(2000 ms\)/);
    expect(waiter.output()).not.toMatch(/waiting for trials/);

    await waitFor(async () => (await h.registeredWorkers()).length === 8, { what: '8 device-workers to beat' });
    const beats = await Promise.all(held.map(async (holder) => WorkerHeartbeatSchema.parse(await h.heartbeat(holder.split('#')[0]!))));
    expect(beats.map((beat) => [beat.host, beat.device, beat.gpuUuid])).toEqual(held.map((_, index) => ['box', String(index), fakeGpuUuid(index)]));

    const victim = owners[5]!;
    const killedAt = Date.now();
    await victim.kill('SIGKILL');
    const takenBy = `box:${waiter.child.pid}:5`;
    await waitFor(async () => (await holders(8))[5]?.startsWith(`${takenBy}#`), { timeoutMs: 20_000, what: `the waiting worker to take GPU 5` });
    // The lease had at least two thirds of its TTL left when its holder died.
    expect(Date.now() - killedAt).toBeGreaterThanOrEqual(LEASE_MS / 2);
    await waitFor(async () => WorkerHeartbeatSchema.safeParse(await h.heartbeat(takenBy)).success, { what: 'the new holder of GPU 5 to beat' });
    expect((await h.heartbeat(takenBy)).gpuUuid).toBe(fakeGpuUuid(5));

    const alive = workers.filter((worker) => worker !== victim);
    for (const worker of alive) worker.child.kill('SIGTERM');
    const exits = await Promise.all(alive.map((worker) => worker.exited));
    expect(exits.every((exit) => exit.code === 0)).toBe(true);
    expect(await holders(8)).toEqual(Array(8).fill(null));
  });

  it('two hosts that see the same GPU UUIDs never double-book them', async () => {
    const workers = ['a', 'b', 'a', 'b'].map((host) => h.startWorker(AUTO, env(host, { count: 2 })));
    const held = await allHeld(2);
    expect(new Set(held).size).toBe(2);
    const owners = held.map((holder) => ownerOf(holder, workers));
    const waiters = workers.filter((worker) => !owners.includes(worker));
    expect(waiters).toHaveLength(2);
    await Promise.all(waiters.map((worker) => worker.waitForOutput(waitingLine)));
    await waitFor(async () => (await h.registeredWorkers()).length === 2, { what: 'two device-workers' });
    const beats = await Promise.all((await h.registeredWorkers()).map(async (id) => WorkerHeartbeatSchema.parse(await h.heartbeat(id))));
    expect(beats.map((beat) => beat.gpuUuid).sort()).toEqual([fakeGpuUuid(0), fakeGpuUuid(1)]);
  });

  it('--devices auto claims every free GPU, and the one it waited for once it is released', async () => {
    const first = h.startWorker(AUTO, env('box', { count: 4 }));
    await waitFor(async () => (await holders(4))[0]?.startsWith(`box:${first.child.pid}:`), { what: 'the first worker to hold GPU 0' });
    const all = h.startWorker(['--devices', 'auto', '--allow-command', process.execPath], env('box', { count: 4 }));
    const pid = all.child.pid!;
    await waitFor(async () => {
      const held = await holders(4);
      return held.slice(1).every((holder, offset) => holder?.startsWith(`box:${pid}:${offset + 1}#`));
    }, { what: '--devices auto to hold GPUs 1-3' });
    await all.waitForOutput(/waiting for a free GPU: all 4 GPUs are taken or skipped: GPU 0 .* is leased by box:\d+:0#[0-9a-f]{8}; GPU 1 .* is leased by box:\d+:1#/);

    first.child.kill('SIGTERM');
    expect((await first.exited).code).toBe(0);
    await waitFor(async () => (await holders(4))[0]?.startsWith(`box:${pid}:0#`), { what: '--devices auto to take GPU 0 once released' });
    await waitFor(async () => (await h.registeredWorkers()).length === 4, { what: 'four device-workers in one process' });
    expect((await h.registeredWorkers()).sort()).toEqual([0, 1, 2, 3].map((index) => `box:${pid}:${index}`));
  });

  it('--devices 0,1 leases its pinned GPUs too: a second worker pinned to them waits for each', async () => {
    const pinned = ['--devices', '0,1', '--allow-command', process.execPath];
    const first = h.startWorker(pinned, env('box', { count: 2 }));
    await waitFor(async () => (await holders(2)).every((holder) => holder?.startsWith(`box:${first.child.pid}:`)), { what: 'the first worker to lease GPUs 0 and 1' });
    const second = h.startWorker(pinned, env('box', { count: 2 }));
    await second.waitForOutput(/waiting for a free GPU: GPU 0 \(GPU-[0-9-]+\) is leased by box:\d+:0#/);
    await second.waitForOutput(/waiting for a free GPU: GPU 1 \(GPU-[0-9-]+\) is leased by box:\d+:1#/);
    expect(await h.registeredWorkers()).toHaveLength(2);
  });

  it('CUDA_VISIBLE_DEVICES limits the GPUs claimed, by index or UUID; set empty, it means no GPU', async () => {
    const worker = h.startWorker(['--devices', 'auto', '--allow-command', process.execPath], env('box', { count: 8 }, { CUDA_VISIBLE_DEVICES: `6,${fakeGpuUuid(2)}` }));
    await waitFor(async () => (await h.registeredWorkers()).length === 2, { what: 'two device-workers' });
    const held = await holders(8);
    expect(held.map((holder, index) => (holder === null ? null : index)).filter((index) => index !== null)).toEqual([2, 6]);
    expect(worker.output()).toMatch(/"gpus":\[6,2\],"msg":"CUDA_VISIBLE_DEVICES=.*claiming only among these GPUs/);

    const hidden = await runWorker(h, ['--device', 'auto', '--allow-command', 'x'], env('box', { count: 8 }, { CUDA_VISIBLE_DEVICES: '' }));
    expect(hidden.code).toBe(2);
    expect(hidden.stderr).toMatch(/CUDA_VISIBLE_DEVICES="" hides every GPU \(nvidia-smi lists GPU 0, 1, .*7\); unset it, or list the GPUs/);
  });

  it('--skip-busy-gpus leaves GPUs whose memory is in use alone', async () => {
    const worker = h.startWorker(['--devices', 'auto', '--skip-busy-gpus', '1000', '--allow-command', process.execPath], env('box', { count: 4, memoryUsedMiB: [30_000, 0, 1500, 1000] }));
    await worker.waitForOutput(/is busy: 30000 MiB in use > --skip-busy-gpus 1000/);
    await waitFor(async () => (await h.registeredWorkers()).length === 2, { what: 'two device-workers' });
    expect((await holders(4)).map((holder) => holder !== null)).toEqual([false, true, false, true]);
    expect(worker.output()).toMatch(/GPU 2 \(GPU-[0-9-]+\) is busy: 1500 MiB in use/);
  });

  it('exits 2 with the fix when there is no GPU to pick: no nvidia-smi, a failing one, or a pinned GPU that is not there', async () => {
    const none = await runWorker(h, ['--allow-command', 'x'], { PATH: h.dir });
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/--device auto: nvidia-smi was not found on PATH.*pass --device cpu to train on the CPU, or install the NVIDIA driver.*NVIDIA Container Toolkit/);

    const noneForAll = await runWorker(h, ['--devices', 'auto', '--allow-command', 'x'], { PATH: h.dir });
    expect(noneForAll.code).toBe(2);
    expect(noneForAll.stderr).toMatch(/^worker: --devices auto: nvidia-smi was not found on PATH/);

    const broken = await runWorker(h, ['--device', 'auto', '--allow-command', 'x'], fakeGpuEnv({ count: 2, fail: 'NVIDIA-SMI has failed because it couldn\'t communicate with the NVIDIA driver.' }));
    expect(broken.code).toBe(2);
    expect(broken.stderr).toMatch(/could not list the GPUs: nvidia-smi exited with code 9: NVIDIA-SMI has failed.*Check that `nvidia-smi` works/);

    const missing = await runWorker(h, ['--devices', '0,9', '--allow-command', 'x'], fakeGpuEnv({ count: 2 }));
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/--device 9: this machine has no GPU 9; nvidia-smi lists GPU 0, 1/);
  });
});

async function runWorker(h: WorkerHarness, args: readonly string[], env: Record<string, string>) {
  return runCli(BIN.worker, ['--workdir', h.workdir, ...args], h.env(env));
}
