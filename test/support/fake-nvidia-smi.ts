import { chmodSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './processes.js';

const DIR = join(ROOT, 'test/support/fake-nvidia-smi');
chmodSync(join(DIR, 'nvidia-smi'), 0o755);

export interface FakeGpus {
  count: number;
  /** MiB in use per GPU, by index; missing ones are 0. */
  memoryUsedMiB?: readonly number[];
  /** Make nvidia-smi fail, printing this. */
  fail?: string;
  /** Compute processes it lists: GPU index, pid, MiB. */
  apps?: readonly { index: number; pid: number; memoryMiB: number }[];
  /**
   * Also list as compute processes every live process whose environment holds
   * FAKE_GPU_LIVE_TAG=<this> and HYPEREVOLVE_DEVICE=<index> (the trainers of workers given this
   * environment): a GPU is "held" until its trainer is gone. Use a tag of its own per test.
   */
  liveTag?: string;
  /** A file of `index:pid:MiB` lines the test writes: each listed while that pid lives (no scan of /proc). */
  appsFile?: string;
}

/** The UUID the fake nvidia-smi reports for a GPU index (the same on every "host"). */
export function fakeGpuUuid(index: number): string {
  return `GPU-00000000-0000-4000-8000-${String(index).padStart(12, '0')}`;
}

/** Environment for a worker that should see these fake GPUs: the fake nvidia-smi first on PATH. */
export function fakeGpuEnv(gpus: FakeGpus): Record<string, string> {
  return {
    PATH: `${DIR}:${process.env.PATH ?? ''}`,
    FAKE_GPU_COUNT: String(gpus.count),
    FAKE_GPU_MEMORY_USED: (gpus.memoryUsedMiB ?? []).join(','),
    FAKE_NVIDIA_SMI_FAIL: gpus.fail ?? '',
    FAKE_GPU_APPS: (gpus.apps ?? []).map((app) => `${app.index}:${app.pid}:${app.memoryMiB}`).join(';'),
    FAKE_GPU_LIVE_TAG: gpus.liveTag ?? '',
    FAKE_GPU_APPS_FILE: gpus.appsFile ?? '',
  };
}
