import { z } from 'zod';

/** A hyperparameter set: hyp name → value, in the order the names should be written. */
export type Hyp = Readonly<Record<string, number>>;

/**
 * What one run of a trainer measured, keyed by the trainer's own column names (YOLOv5's
 * `metrics/mAP_0.5`, …). NaN marks a value the trainer wrote as nan or left out: JSON has no
 * NaN, so contract's metricsToWire/metricsFromWire are where NaN becomes null and back.
 */
export type MetricRecord = Readonly<Record<string, number>>;

/** A trainer's metric column name as a key of a metrics record (a results.csv header cell). */
export const MetricNameSchema = z
  .string()
  .min(1)
  .refine((name) => name !== '__proto__', { message: 'a metric name may not be __proto__' });

/** `names` in order, each with its value in `metrics` or NaN: the one way a record becomes a row. */
export function metricValues(metrics: MetricRecord, names: readonly string[]): number[] {
  return names.map((name) => (Object.hasOwn(metrics, name) ? (metrics[name] ?? Number.NaN) : Number.NaN));
}

/** A frozen record of `names` with `values` in the same order (NaN where a value is missing). */
export function metricRecord(names: readonly string[], values: readonly number[]): MetricRecord {
  const record: Record<string, number> = {};
  names.forEach((name, i) => {
    record[name] = values[i] ?? Number.NaN;
  });
  return Object.freeze(record);
}
