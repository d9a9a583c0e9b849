import { campaignKeys, type CampaignKeys } from '@hyperevolve/contract';
import { RedisScript, type RedisClient } from '@hyperevolve/runtime';

export const setStatusScript = new RedisScript({ name: 'setStatus', file: new URL('./set-status-1.lua', import.meta.url), keys: 1, codes: ['Done', 'Missing', 'WrongStatus'] });
export const extendBudgetScript = new RedisScript({ name: 'extendBudget', file: new URL('./extend-budget-1.lua', import.meta.url), keys: 1, codes: ['Done', 'Missing', 'WrongStatus'] });
export const releaseLockScript = new RedisScript({ name: 'releaseLock', file: new URL('./release-lock-1.lua', import.meta.url), keys: 1, codes: ['Done', 'NotHolder'] });
export const extendLockScript = new RedisScript({ name: 'extendLock', file: new URL('./extend-lock-1.lua', import.meta.url), keys: 1, codes: ['Done', 'NotHolder'] });

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

export async function releaseLock(redis: RedisClient, key: string, token: string): Promise<boolean> {
  return (await releaseLockScript.run(redis, [key], [token])).code === 'Done';
}

export async function extendLock(redis: RedisClient, key: string, token: string, ttlMs: number): Promise<boolean> {
  return (await extendLockScript.run(redis, [key], [token, ttlMs])).code === 'Done';
}
