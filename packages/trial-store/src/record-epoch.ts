import type { CampaignKeys, EpochEntry } from '@hyperevolve/contract';
import { rungLogLength } from '@hyperevolve/ga-core';
import { RedisScript, type RedisClient } from '@hyperevolve/runtime';
import { runHolderRefusal } from './run-holder-refusal.js';
import { fieldPairs } from './trial-fields.js';

export const recordEpochScript = new RedisScript({
  name: 'recordEpoch',
  file: new URL('./record-epoch-5.lua', import.meta.url),
  keys: 5,
  codes: ['Done', 'Absent', 'Missing', 'WrongStatus', 'NotHolder'],
});

export type EpochOutcome =
  | { readonly recorded: true }
  | { readonly recorded: false; readonly reason: string };

/** The trial's fitness at a rung of a pruning campaign (finite), and the campaign's window there (null: none). */
export interface RungEntry {
  readonly fitness: number;
  readonly window: number | null;
}

/**
 * record-epoch-5.lua: the run's latest epoch on the trial and its entry on the curve, if that run
 * still holds the trial. `rung`: the epoch is a rung of a pruning campaign; the trial's fitness
 * there is kept for the trials after it, on the rung's sorted set and, with a window, its log.
 */
export async function recordEpoch(redis: RedisClient, keys: CampaignKeys, index: number, entry: EpochEntry, rung?: RungEntry): Promise<EpochOutcome> {
  const fields = fieldPairs({
    epoch: entry.epoch,
    epochAt: entry.at,
    ...(entry.epochs === undefined ? {} : { epochs: entry.epochs }),
    ...(entry.metrics === undefined ? {} : { epochMetrics: entry.metrics }),
    ...(entry.fitness === undefined ? {} : { epochFitness: entry.fitness }),
  });
  const atRung = rung !== undefined && Number.isFinite(rung.fitness);
  const { code, values } = await recordEpochScript.run(redis, [keys.trial(index), keys.curve(index), keys.state, keys.rung(entry.epoch), keys.rungLog(entry.epoch)], [
    entry.run,
    entry.epoch,
    JSON.stringify(entry),
    index,
    atRung ? String(rung.fitness) : '',
    atRung && rung.window !== null ? rungLogLength(rung.window) : '',
    ...fields,
  ]);
  const detail = typeof values[0] === 'string' ? values[0] : '';
  switch (code) {
    case 'Done':
      return { recorded: true };
    case 'Absent':
      return { recorded: false, reason: `epoch ${entry.epoch} is not after epoch ${detail}, recorded already` };
    case 'Missing':
    case 'WrongStatus':
    case 'NotHolder':
      return { recorded: false, reason: runHolderRefusal(code, detail) };
  }
}
