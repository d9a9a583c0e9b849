import { campaignKeys, type CampaignKeys } from '@hyperevolve/contract';
import { RedisScript, releaseHeld, renewHeld, type RedisClient } from '@hyperevolve/runtime';

export const setStatusScript = new RedisScript({ name: 'setStatus', file: new URL('./set-status-1.lua', import.meta.url), keys: 1, codes: ['Done', 'Missing', 'WrongStatus'] });
export const extendBudgetScript = new RedisScript({ name: 'extendBudget', file: new URL('./extend-budget-1.lua', import.meta.url), keys: 1, codes: ['Done', 'Missing', 'WrongStatus'] });

export type StatusAction = 'pause' | 'resume' | 'cancel';
export async function setCampaignStatus(
  redis: RedisClient,
  prefix: string,
  campaign: string,
  action: StatusAction,
  reason = '',
): Promise<{ ok: boolean; previous: string | null }> {
  const { code, values } = await setStatusScript.run(redis, [campaignKeys(prefix, campaign).state], [action, reason, Date.now()]);
  if (code === 'Missing') return { ok: false, previous: null };
  return { ok: code === 'Done', previous: String(values[0]) };
}

export async function extendBudget(
  redis: RedisClient,
  keys: CampaignKeys,
  generations: number,
): Promise<{ ok: true; budget: number; status: string } | { ok: false; reason: 'cancelled' | 'missing' }> {
  const { code, values } = await extendBudgetScript.run(redis, [keys.state], [generations]);
  if (code === 'WrongStatus') return { ok: false, reason: 'cancelled' };
  if (code === 'Missing') return { ok: false, reason: 'missing' };
  return { ok: true, budget: Number(values[0]), status: String(values[1]) };
}

/** Releases a lock only if this holder still owns it (its token): a holder whose lock expired cannot release the next holder's. */
export async function releaseLock(redis: RedisClient, key: string, token: string): Promise<boolean> {
  return (await releaseHeld(redis, key, token)).kind === 'released';
}

/** Extends a lock only while this holder owns it: a long export keeps its lock, a dead holder's lapses within one TTL. */
export async function extendLock(redis: RedisClient, key: string, token: string, ttlMs: number): Promise<boolean> {
  return (await renewHeld(redis, key, token, ttlMs, false)).kind === 'extended';
}
