import { ConfigError } from '@hyperevolve/runtime';

/** One device a trial runs on: a physical GPU index (as YOLOv5's `--device i`) or the CPU. */
export type Device = { readonly kind: 'gpu'; readonly index: number } | { readonly kind: 'cpu' };

/**
 * How a worker process picks its devices: pinned (`--device 3`, `--devices 0,1,cpu`) or `auto`
 * (GPUs found by nvidia-smi, each claimed by a Redis lease keyed by its UUID): one GPU for
 * `--device auto`, every GPU of the host for `--devices auto`. gpu/plan-devices.ts turns a
 * selection into device-worker slots.
 */
export type DeviceSelection =
  | { readonly kind: 'pinned'; readonly devices: readonly Device[] }
  | { readonly kind: 'auto'; readonly all: boolean };

/** The spelling used on the command line, in `--device` for YOLOv5 and in worker ids. */
export function deviceLabel(device: Device): string {
  return device.kind === 'cpu' ? 'cpu' : String(device.index);
}

/** Parses one `--device` value (`3`, `cpu`). */
export function parseDevice(text: string, flag: string): Device {
  const trimmed = text.trim().toLowerCase();
  if (trimmed === 'cpu') return { kind: 'cpu' };
  if (/^\d{1,3}$/.test(trimmed)) return { kind: 'gpu', index: Number(trimmed) };
  if (trimmed === 'auto') {
    throw new ConfigError(`${flag}: "auto" stands alone (--device auto for one GPU, --devices auto for all of them); it cannot be mixed with pinned devices in a list`);
  }
  throw new ConfigError(`${flag}: "${text}" is not a device; expected a GPU index such as 0 or 3, or cpu`);
}

/** Parses `--devices 0,1,2,3`: distinct devices, one worker each. */
export function parseDeviceList(text: string, flag: string): Device[] {
  const parts = text.split(',').map((part) => part.trim());
  if (parts.some((part) => part === '')) {
    throw new ConfigError(`${flag}: "${text}" has an empty entry; expected a comma-separated list such as 0,1,2,3`);
  }
  const devices = parts.map((part) => parseDevice(part, flag));
  const seen = new Set<string>();
  for (const device of devices) {
    const label = deviceLabel(device);
    if (seen.has(label) && device.kind === 'cpu') {
      // One process holds one slot per device; a second CPU trial at a time is a second process.
      throw new ConfigError(`${flag}: cpu is listed twice; one worker process runs one CPU trial at a time, so for two at once start two: worker --device cpu & worker --device cpu &`);
    }
    if (seen.has(label)) throw new ConfigError(`${flag}: device ${label} is listed twice; two workers must never share a device`);
    seen.add(label);
  }
  return devices;
}
