import { z } from 'zod';
import { MetricNameSchema, YOLOV5_METRIC_NAMES, metricRecord, type MetricRecord } from '@hyperevolve/ga-core';

const value = z.number().refine(Number.isFinite, { message: 'must be a finite number' }).nullable();

/**
 * Metrics as they travel (result jobs) and rest (the trial hash's `metrics` field): a record
 * keyed by the trainer's column names; JSON has no NaN, so a value the trainer wrote as nan is
 * null. Releases up to 1af88bb wrote YOLOv5's 7 evolve metrics as a bare array (in
 * evolve.csv's order); such an array still reads, as the record it meant.
 */
export const MetricsWireSchema = z.union([
  z.record(MetricNameSchema, value),
  z.tuple([value, value, value, value, value, value, value]).transform((legacy) => Object.fromEntries(YOLOV5_METRIC_NAMES.map((name, i) => [name, legacy[i] ?? null]))),
]);
export type MetricsWire = z.output<typeof MetricsWireSchema>;

/** The one place NaN becomes null: any non-finite value goes on the wire as null. */
export function metricsToWire(metrics: MetricRecord): MetricsWire {
  const wire: Record<string, number | null> = {};
  for (const [name, v] of Object.entries(metrics)) wire[name] = Number.isFinite(v) ? v : null;
  return wire;
}

/** The one place null becomes NaN again. */
export function metricsFromWire(wire: MetricsWire): MetricRecord {
  const names = Object.keys(wire);
  return metricRecord(names, names.map((name) => wire[name] ?? Number.NaN));
}
