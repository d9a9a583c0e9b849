import type { CampaignConfig } from '@hyperevolve/contract';
import type { PrunedTrial } from '@hyperevolve/trial-store';
import { formatSignificant } from '../status/format-number.js';

/** The name of the export of a pruning campaign's stopped trials, beside evolve.csv. */
export const PRUNED_CSV = 'pruned.csv';

/**
 * pruned.csv: one row per trial stopped at a rung, in the order they were stopped — its index,
 * the rung (epochs done), the epochs it would have run (empty when the trainer did not say),
 * its fitness there, the cut it was below, its run's seconds until then, and its hyps in the
 * campaign's hyp order. Numbers have 5 significant digits, as in evolve.csv; a missing one is empty. Pruned trials are never evolve.csv rows, so YOLOv5's tools read that
 * file exactly as before; this one says what pruning stopped and why.
 */
export function renderPrunedCsv(config: CampaignConfig, pruned: readonly PrunedTrial[]): string {
  const hypNames = Object.keys(config.baseHyp);
  const header = ['trial', 'rung', 'epochs', 'fitness', 'cut', 'seconds', ...hypNames].join(',');
  const rows = pruned.map((trial) => [
    trial.index,
    trial.rung,
    trial.epochs ?? '',
    number(trial.fitness),
    number(trial.cut),
    trial.durationMs === null ? '' : (trial.durationMs / 1000).toFixed(1),
    ...hypNames.map((name) => number(trial.hyp[name] ?? Number.NaN)),
  ].join(','));
  return `${[header, ...rows].join('\n')}\n`;
}

function number(value: number): string {
  return Number.isFinite(value) ? formatSignificant(value) : '';
}
