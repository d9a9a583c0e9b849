import type { Logger } from 'pino';
import { ConfigError } from '@hyperevolve/runtime';
import { deviceLabel, type Device, type DeviceSelection } from '../device-selection.js';
import { visibleGpus } from './cuda-visible-devices.js';
import type { Gpu } from './nvidia-smi-output.js';
import type { GpuQuery } from './query-gpus.js';

/** What one device-worker slot of this process runs on. */
export type SlotPlan =
  /** The CPU, or a pinned GPU on a machine without nvidia-smi (no UUID, so no lease). */
  | { readonly kind: 'fixed'; readonly device: Device }
  /** The first of these GPUs whose lease it can take (one choice for a pinned GPU). */
  | { readonly kind: 'leased'; readonly choices: readonly Gpu[] };

export interface PlanInput {
  selection: DeviceSelection;
  query: () => Promise<GpuQuery>;
  /** The worker's CUDA_VISIBLE_DEVICES, undefined when unset. */
  cudaVisibleDevices: string | undefined;
  log: Logger;
}

const NO_GPU_FIX = 'pass --device cpu to train on the CPU, or install the NVIDIA driver (it brings nvidia-smi); ' +
  'in a container, install the NVIDIA Container Toolkit on the host and reserve the GPUs for the container (gpus: all)';

/**
 * Turns the device flags into slots, asking nvidia-smi once: `auto` needs it (ConfigError,
 * exit 2, when it is missing, fails or shows no GPU); pinned GPUs use it for their UUIDs and
 * run without leases, with a warning, where there is no nvidia-smi.
 */
export async function planDevices(input: PlanInput): Promise<SlotPlan[]> {
  const { selection, log } = input;
  if (selection.kind === 'auto') {
    const gpus = await autoGpus(input);
    const slots = selection.all ? gpus.length : 1;
    return Array.from({ length: slots }, () => ({ kind: 'leased', choices: gpus }));
  }
  if (selection.devices.every((device) => device.kind === 'cpu')) return selection.devices.map((device) => ({ kind: 'fixed', device }));

  const query = await input.query();
  if (query.kind !== 'listed') {
    const why = query.kind === 'missing' ? 'nvidia-smi was not found on PATH' : query.message;
    log.warn(`${why}: GPU ${selection.devices.filter((d) => d.kind === 'gpu').map(deviceLabel).join(', ')} run without GPU leases, so nothing stops another worker from using the same GPU`);
    return selection.devices.map((device) => ({ kind: 'fixed', device }));
  }
  logGpus(query.gpus, log);
  return selection.devices.map((device): SlotPlan => {
    if (device.kind === 'cpu') return { kind: 'fixed', device };
    const gpu = query.gpus.find((candidate) => candidate.index === device.index);
    if (gpu === undefined) {
      throw new ConfigError(`--device ${device.index}: this machine has no GPU ${device.index}; nvidia-smi lists ${describeIndices(query.gpus)}. Pin one of those, or use --device auto`);
    }
    return { kind: 'leased', choices: [gpu] };
  });
}

async function autoGpus(input: PlanInput): Promise<readonly Gpu[]> {
  // Errors name the flag as it was typed: `--devices auto` claims every GPU, `--device auto` one.
  const flag = input.selection.kind === 'auto' && input.selection.all ? '--devices auto' : '--device auto';
  const query = await input.query();
  if (query.kind === 'missing') throw new ConfigError(`${flag}: nvidia-smi was not found on PATH, so this worker cannot see any GPU; ${NO_GPU_FIX}`);
  if (query.kind === 'failed') throw new ConfigError(`${flag}: could not list the GPUs: ${query.message}. Check that \`nvidia-smi\` works on this machine; otherwise ${NO_GPU_FIX}`);
  logGpus(query.gpus, input.log);
  if (query.gpus.length === 0) throw new ConfigError(`${flag}: nvidia-smi lists no GPU on this machine; ${NO_GPU_FIX}`);

  const visible = visibleGpus(query.gpus, input.cudaVisibleDevices);
  const setting = `CUDA_VISIBLE_DEVICES=${JSON.stringify(input.cudaVisibleDevices ?? '')}`;
  if (visible.ignored.length > 0) {
    input.log.warn({ ignored: visible.ignored }, `${setting}: ${visible.ignored[0] ?? ''} names no GPU of this machine (or repeats one); like CUDA, the entries from there on are ignored`);
  }
  if (visible.gpus.length === 0) {
    throw new ConfigError(`${flag}: ${setting} hides every GPU (nvidia-smi lists ${describeIndices(query.gpus)}); unset it, or list the GPUs this worker may use, e.g. CUDA_VISIBLE_DEVICES=0,1`);
  }
  if (input.cudaVisibleDevices !== undefined) input.log.info({ gpus: visible.gpus.map((gpu) => gpu.index) }, `${setting}: claiming only among these GPUs`);
  return visible.gpus;
}

function logGpus(gpus: readonly Gpu[], log: Logger): void {
  log.info({ gpus: gpus.map((gpu) => ({ index: gpu.index, uuid: gpu.uuid, memoryUsedMiB: gpu.memoryUsedMiB, memoryTotalMiB: gpu.memoryTotalMiB })) },
    `nvidia-smi lists ${gpus.length} GPU${gpus.length === 1 ? '' : 's'}`);
}

function describeIndices(gpus: readonly Gpu[]): string {
  return gpus.length === 0 ? 'no GPU' : `GPU ${gpus.map((gpu) => gpu.index).join(', ')}`;
}
