import type { Gpu } from './nvidia-smi-output.js';

export interface VisibleGpus {
  readonly gpus: readonly Gpu[];
  /** Entries CUDA would have stopped at or skipped, for a warning. */
  readonly ignored: readonly string[];
}

/**
 * The GPUs a CUDA program would see under `CUDA_VISIBLE_DEVICES`, read the way CUDA reads it:
 * unset means all; empty means none; otherwise a comma-separated list of indices or UUIDs (`GPU-…`,
 * a unique prefix is enough), and the first entry that names no GPU ends the list, so
 * `0,1,-1,2` means GPUs 0 and 1. Indices are taken as nvidia-smi's (PCI bus order): CUDA's
 * default order may differ on a machine with mixed GPU models unless
 * `CUDA_DEVICE_ORDER=PCI_BUS_ID` is set.
 */
export function visibleGpus(gpus: readonly Gpu[], cudaVisibleDevices: string | undefined): VisibleGpus {
  if (cudaVisibleDevices === undefined) return { gpus, ignored: [] };
  const entries = cudaVisibleDevices.split(',').map((entry) => entry.trim());
  if (entries.every((entry) => entry === '')) return { gpus: [], ignored: [] };
  const visible: Gpu[] = [];
  for (const [position, entry] of entries.entries()) {
    const gpu = find(gpus, entry);
    if (gpu === undefined || visible.includes(gpu)) return { gpus: visible, ignored: entries.slice(position) };
    visible.push(gpu);
  }
  return { gpus: visible, ignored: [] };
}

function find(gpus: readonly Gpu[], entry: string): Gpu | undefined {
  if (/^\d+$/.test(entry)) return gpus.find((gpu) => gpu.index === Number(entry));
  const prefix = entry.toLowerCase();
  if (!prefix.startsWith('gpu-')) return undefined;
  const matches = gpus.filter((gpu) => gpu.uuid.toLowerCase().startsWith(prefix));
  return matches.length === 1 ? matches[0] : undefined;
}
