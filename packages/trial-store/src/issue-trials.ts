import type { CampaignKeys } from '@hyperevolve/contract';
import { RedisScript, type RedisClient } from '@hyperevolve/runtime';
import type { Hyp } from '@hyperevolve/ga-core';
import { fieldPairs } from './trial-fields.js';

export const issueTrialScript = new RedisScript({
  name: 'issueTrial',
  file: new URL('./issue-trial-4.lua', import.meta.url),
  keys: 4,
  codes: ['Done', 'WrongStatus', 'BudgetFull', 'StaleIndex', 'Duplicate'],
});

/** A bred candidate, ready to be issued as trial `index`. */
export interface IssueItem {
  index: number;
  /** Its key in the campaign's issued hash (duplicate rejection). */
  fingerprint: string;
  hyp: Hyp;
  origin: 'base' | 'base-mutation' | 'population';
  parents: number[];
  pool: number[];
  /** Finished trials when it was bred. */
  poolSize: number;
  draws: number;
  createdAt: number;
  /** The failed trial these hyps were issued to before (the base, run again); absent: new hyps. */
  reissueOf?: number;
}

export type IssueOutcome =
  | { ok: true; index: number }
  | { ok: false; reason: 'not-running' | 'budget-full' | 'stale-index' | 'duplicate' };

const REFUSALS = { WrongStatus: 'not-running', BudgetFull: 'budget-full', StaleIndex: 'stale-index', Duplicate: 'duplicate' } as const;

/**
 * issue-trial-4.lua for consecutive indices in one round trip (a pipeline: each script is
 * atomic on its own). Once one is refused, every later one is refused too (stale index).
 */
export async function issueTrials(redis: RedisClient, keys: CampaignKeys, items: readonly IssueItem[]): Promise<IssueOutcome[]> {
  issueTrialScript.define(redis);
  const pipeline = redis.pipeline();
  for (const item of items) {
    const fields = fieldPairs({
      index: item.index,
      status: 'queued',
      origin: item.origin,
      hyp: item.hyp,
      parents: item.parents,
      pool: item.pool,
      poolSize: item.poolSize,
      draws: item.draws,
      createdAt: item.createdAt,
    });
    issueTrialScript.queue(pipeline, [keys.state, keys.issued, keys.inflight, keys.trial(item.index)], [item.index, item.fingerprint, item.reissueOf ?? '', ...fields]);
  }
  const replies = (await pipeline.exec()) ?? [];
  return replies.map(([error, value]) => {
    if (error !== null) throw error;
    const { code, values } = issueTrialScript.decode(value);
    if (code === 'Done') return { ok: true, index: Number(values[0]) } as const;
    return { ok: false, reason: REFUSALS[code] } as const;
  });
}
