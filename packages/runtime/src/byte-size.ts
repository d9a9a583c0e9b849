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
