import { ConfigError } from './config-error.js';

const UNITS_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/**
 * Parses `250ms`, `90s`, `15m`, `2h`, `1d`, `1h30m` or a bare number of seconds into ms.
 * @param what names the flag in the error, e.g. `--timeout`.
 */
export function parseDuration(text: string, what: string): number {
  const trimmed = text.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const parts = [...trimmed.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h|d)/g)];
  const joined = parts.map((p) => p[0]).join('');
  if (parts.length === 0 || joined !== trimmed) {
    throw new ConfigError(`${what}: "${text}" is not a duration; use e.g. 90s, 15m, 2h, 1h30m or 500ms`);
  }
  let total = 0;
  for (const [, amount, unit] of parts) total += Number(amount) * (UNITS_MS[unit ?? 's'] ?? 1000);
  return Math.round(total);
}
