import { campaignKeys, repeatsLastFailure } from '@hyperevolve/contract';
import type { RedisClient } from '@hyperevolve/runtime';
import type { TrialFailure } from './trial-failure.js';

/**
 * Whether `failure` repeats its campaign's last failure as the recorder noted it (the same
 * signature, no trial recorded since): then no retry of it. Redis out of reach reads as no,
 * and the trial is retried as usual.
 */
export async function repeatsCampaignFailure(redis: RedisClient, prefix: string, campaign: string, failure: TrialFailure): Promise<boolean> {
  if (failure.signature === null) return false;
  try {
    const [signature, mark, recorded, pruned] = await redis.hmget(campaignKeys(prefix, campaign).state, 'failureSignature', 'failureMark', 'recorded', 'pruned');
    const last = { signature: signature ?? null, mark: mark === null || mark === undefined ? null : Number(mark) };
    return repeatsLastFailure(last, failure.signature, Number(recorded ?? 0) + Number(pruned ?? 0));
  } catch {
    return false;
  }
}
