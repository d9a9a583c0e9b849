import type { Hyp, MetricRecord } from '../metrics.js';

/** One trial as evolve.csv stores it: its metrics (by the trainer's names), then its hyps. */
export interface EvolveRow {
  readonly metrics: MetricRecord;
  readonly hyp: Hyp;
}

/** evolve.csv's columns: the trainer profile's metric names, then the campaign's hyp names. */
export interface EvolveColumns {
  readonly metricNames: readonly string[];
  readonly hypNames: readonly string[];
}
