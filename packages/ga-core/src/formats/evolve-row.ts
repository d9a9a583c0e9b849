import type { Hyp, MetricRecord } from '../metrics.js';

/** One trial as evolve.csv stores it: its metrics (by the trainer's names), then its hyps. */
export interface EvolveRow {
  readonly metrics: MetricRecord;
  readonly hyp: Hyp;
  /**
   * The fitness its campaign recorded, where the file has a `fitness` column (see
   * {@link EvolveColumns.fitness}); NaN in that column, or no column: the metrics give it.
   */
  readonly fitness?: number;
}

/** evolve.csv's columns: the trainer profile's metric names, then the campaign's hyp names. */
export interface EvolveColumns {
  readonly metricNames: readonly string[];
  readonly hypNames: readonly string[];
  /**
   * A trailing `fitness` column after the hyps (and a `fitness` entry at the end of
   * hyp_evolve.yaml's metrics header): each row's recorded fitness. For trainers whose runs may
   * report a fitness of their own, which the metrics cannot give back (a generic program
   * writing `{"fitness": x}`). Last, so YOLOv5's own readers, which take the hyps by position
   * after the 7 metrics, still read the file.
   */
  readonly fitness?: boolean;
}

/** The name of evolve.csv's fitness column (see {@link EvolveColumns.fitness}). */
export const FITNESS_COLUMN = 'fitness';
