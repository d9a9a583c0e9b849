import type { RedisTarget } from '@hyperevolve/runtime';
import type { BreakdownOptions } from './options.js';

/** A target printed beside one metric: met when `value op bound`. */
export interface Target {
  readonly metric: string;
  readonly op: '>=' | '<=';
  readonly bound: number;
}

/** What one scenario run measured; `metrics` are printed and written to --json as they are. */
export interface ScenarioResult {
  readonly name: string;
  readonly params: Readonly<Record<string, string | number>>;
  readonly metrics: Readonly<Record<string, number>>;
  readonly targets?: readonly Target[];
  /** How it was measured: what is real, what is stubbed. Printed under the table. */
  readonly notes?: readonly string[];
}

export interface BenchContext {
  readonly quick: boolean;
  /** A Redis Cluster to run on (--redis-cluster, REDIS_CLUSTER_NODES); null: a private redis-server per scenario. */
  readonly cluster: RedisTarget | null;
  readonly breakdown: BreakdownOptions;
  /** Progress lines (stderr), so stdout stays the table. */
  progress(line: string): void;
}

export type Scenario = (context: BenchContext) => Promise<ScenarioResult[]>;

export function targetMet(target: Target, value: number): boolean {
  return target.op === '>=' ? value >= target.bound : value <= target.bound;
}
