import type { Hyp, Metrics } from '../metrics.js';

/** One trial as evolve.csv stores it: the 7 evolve metrics, then its hyps. */
export interface EvolveRow {
  readonly metrics: Metrics;
  readonly hyp: Hyp;
}
