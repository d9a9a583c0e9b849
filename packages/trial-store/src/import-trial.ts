import type { ChainableCommander } from 'ioredis';
import type { CampaignKeys, MetricsWire } from '@hyperevolve/contract';
import type { Hyp } from '@hyperevolve/ga-core';
import { queueFields } from './trial-fields.js';

/** A row of an imported evolve.csv (`enqueue --seed-from`), born final. */
export interface ImportedTrial {
  index: number;
  hyp: Hyp;
  metrics: MetricsWire;
  /** NaN when a weighted metric is nan: such a row is kept (failed) but is never a parent. */
  fitness: number;
  createdAt: number;
}

/** Queues an imported trial's hash (replacing any leftover) on the MULTI that creates its campaign. */
export function queueImportedTrial(multi: ChainableCommander, keys: CampaignKeys, trial: ImportedTrial): void {
  const key = keys.trial(trial.index);
  const ok = Number.isFinite(trial.fitness);
  multi.del(key);
  queueFields(multi, key, {
    index: trial.index,
    status: ok ? 'succeeded' : 'failed',
    origin: 'imported',
    hyp: trial.hyp,
    metrics: trial.metrics,
    ...(ok ? { fitness: trial.fitness } : { error: 'metrics-nan: imported row has nan metrics' }),
    createdAt: trial.createdAt,
    finishedAt: trial.createdAt,
  });
}
