import { RedisScript } from './redis-script.js';
import type { RedisClient } from './redis-connection.js';

/**
 * A key whose value is its holder's token, with a TTL: the scheduler's locks and the workers'
 * GPU leases. Taking one is SET NX PX; renewing and releasing compare the token first, in Lua.
 */
export const renewHeldScript = new RedisScript({ name: 'renewHeld', file: new URL('./renew-held-1.lua', import.meta.url), keys: 1, codes: ['Done', 'Retaken', 'Absent', 'NotHolder'] });
export const releaseHeldScript = new RedisScript({ name: 'releaseHeld', file: new URL('./release-held-1.lua', import.meta.url), keys: 1, codes: ['Done', 'Absent', 'NotHolder'] });

export type RenewOutcome =
  | { readonly kind: 'extended' }
  | { readonly kind: 'retaken' }
  | { readonly kind: 'absent' }
  | { readonly kind: 'held-by-other'; readonly holder: string };

export type ReleaseOutcome =
  | { readonly kind: 'released' }
  | { readonly kind: 'absent' }
  | { readonly kind: 'held-by-other'; readonly holder: string };

/** Extends the key by `ttlMs` while `token` holds it; `retake`: take it again when it has lapsed. */
export async function renewHeld(redis: RedisClient, key: string, token: string, ttlMs: number, retake: boolean): Promise<RenewOutcome> {
  const { code, values } = await renewHeldScript.run(redis, [key], [token, ttlMs, retake ? 1 : 0]);
  if (code === 'Done') return { kind: 'extended' };
  if (code === 'Retaken') return { kind: 'retaken' };
  if (code === 'Absent') return { kind: 'absent' };
  return { kind: 'held-by-other', holder: String(values[0]) };
}

/** Deletes the key while `token` holds it. */
export async function releaseHeld(redis: RedisClient, key: string, token: string): Promise<ReleaseOutcome> {
  const { code, values } = await releaseHeldScript.run(redis, [key], [token]);
  if (code === 'Done') return { kind: 'released' };
  if (code === 'Absent') return { kind: 'absent' };
  return { kind: 'held-by-other', holder: String(values[0]) };
}
