import type { Logger } from 'pino';
import { CorruptStateError } from '../errors.js';

/** How long one damaged key stays quiet in the log after it was reported. */
const QUIET_MS = 10 * 60_000;
const lastReported = new Map<string, number>();

/**
 * A loop of `serve` (top-up, reconciler, exporter) met data in Redis that fails validation:
 * log it with the key and the fix, once per key every few minutes rather than on every tick,
 * and let the loop go on with the other campaigns. Returns false for any other error, which
 * the caller handles as before.
 * @param action what was skipped, e.g. "not breeding campaign exp"
 */
export function reportCorruptState(log: Logger, error: unknown, action: string): boolean {
  if (!(error instanceof CorruptStateError)) return false;
  const now = Date.now();
  const last = lastReported.get(error.message);
  if (last === undefined || now - last >= QUIET_MS) {
    lastReported.set(error.message, now);
    log.error({ key: error.key }, `${error.message} Until then: ${action}.`);
  }
  return true;
}
