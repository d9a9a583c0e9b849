import { ConfigError } from './config-error.js';
import { quoteInput } from './printable.js';

const UNITS: Record<string, number> = { '': 1, b: 1, k: 2 ** 10, kb: 2 ** 10, kib: 2 ** 10, m: 2 ** 20, mb: 2 ** 20, mib: 2 ** 20, g: 2 ** 30, gb: 2 ** 30, gib: 2 ** 30 };

/**
 * Parses `64M`, `512K`, `1G`, `1.5G` or a bare number of bytes (units are powers of 1024).
 * @param what names the flag in the error, e.g. `--log-cap`.
 */
export function parseByteSize(text: string, what: string): number {
  const match = /^(\d+(?:\.\d+)?)\s*([a-z]*)$/i.exec(text.trim());
  const unit = UNITS[(match?.[2] ?? '').toLowerCase()];
  if (match === null || unit === undefined) throw new ConfigError(`${what}: ${quoteInput(text)} is not a size; use e.g. 64M, 512K or 1G (bytes, powers of 1024)`);
  return Math.round(Number(match[1]) * unit);
}

const SIZE_UNITS = ['KiB', 'MiB', 'GiB', 'TiB', 'PiB'] as const;

/**
 * A byte count as people read it, in the units {@link parseByteSize} reads (powers of 1024), with
 * three significant digits: `512 B`, `1.50 KiB`, `12.3 MiB`, `421 GiB`. `status`, the dashboard
 * and the worker's log spell sizes through this.
 */
export function formatByteSize(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 0) return '-';
  if (bytes < 1024) return `${Math.round(bytes)} B`;
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < SIZE_UNITS.length - 1) {
    value /= 1024;
    unit += 1;
  }
  // 1023.9 KiB would print as "1024 KiB": say 1.00 MiB instead.
  if (value.toFixed(0) === '1024' && unit < SIZE_UNITS.length - 1) {
    value /= 1024;
    unit += 1;
  }
  const digits = value >= 100 ? 0 : value >= 10 ? 1 : 2;
  return `${value.toFixed(digits)} ${SIZE_UNITS[unit] ?? ''}`;
}
