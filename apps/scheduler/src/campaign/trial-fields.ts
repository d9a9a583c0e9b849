import type { Metrics } from '@hyperevolve/ga-core';

/** JSON has no NaN: metrics travel and rest as numbers or null. */
export function metricsToWire(metrics: Metrics): (number | null)[] {
  return metrics.map((m) => (Number.isFinite(m) ? m : null));
}

export function metricsFromWire(wire: readonly (number | null)[]): Metrics {
  const values = wire.map((m) => (m === null ? Number.NaN : m));
  return [values[0] ?? NaN, values[1] ?? NaN, values[2] ?? NaN, values[3] ?? NaN, values[4] ?? NaN, values[5] ?? NaN, values[6] ?? NaN];
}
