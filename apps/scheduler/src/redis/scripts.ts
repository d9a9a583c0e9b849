import { readFileSync } from 'node:fs';
import { campaignKeys, type CampaignKeys } from '@hyperevolve/contract';
import type { RedisClient } from '@hyperevolve/runtime';

function load(file: string): string {
  return readFileSync(new URL(`./${file}`, import.meta.url), 'utf8');
}

const SOURCES = {
  setStatus: { file: 'set-status-1.lua', keys: 1 },
  extendBudget: { file: 'extend-budget-1.lua', keys: 1 },
  releaseLock: { file: 'release-lock-1.lua', keys: 1 },
  extendLock: { file: 'extend-lock-1.lua', keys: 1 },
} as const;

type ScriptName = keyof typeof SOURCES;
type Call = (...args: (string | number)[]) => Promise<unknown>;

const cache = new Map<ScriptName, string>();
function source(name: ScriptName): string {
  let text = cache.get(name);
  if (text === undefined) {
    text = load(SOURCES[name].file);
    cache.set(name, text);
  }
  return text;
}

/** Registers every script on a client (EVALSHA with automatic EVAL fallback, via ioredis). */
function ensureDefined(redis: RedisClient): void {
  const marked = redis as RedisClient & { __hyperevolveScripts?: boolean };
  if (marked.__hyperevolveScripts === true) return;
  for (const name of Object.keys(SOURCES) as ScriptName[]) {
    redis.defineCommand(`he_${name}`, { numberOfKeys: SOURCES[name].keys, lua: source(name) });
  }
  marked.__hyperevolveScripts = true;
}

function call(redis: RedisClient, name: ScriptName): Call {
  ensureDefined(redis);
  const fn = (redis as unknown as Record<string, Call>)[`he_${name}`];
  if (fn === undefined) throw new Error(`script ${name} is not registered`);
  return fn.bind(redis);
}

export type StatusAction = 'pause' | 'resume' | 'cancel';
export async function setCampaignStatus(
  redis: RedisClient,
  prefix: string,
  campaign: string,
  action: StatusAction,
  reason = '',
): Promise<{ ok: boolean; previous: string | null }> {
  const reply = (await call(redis, 'setStatus')(campaignKeys(prefix, campaign).state, action, reason, Date.now())) as [number, string];
  if (Number(reply[0]) === -1) return { ok: false, previous: null };
  return { ok: Number(reply[0]) === 1, previous: String(reply[1]) };
}

export async function extendBudget(
  redis: RedisClient,
  keys: CampaignKeys,
  generations: number,
): Promise<{ ok: true; budget: number; status: string } | { ok: false; reason: 'cancelled' | 'missing' }> {
  const reply = (await call(redis, 'extendBudget')(keys.state, generations)) as [number, string];
  const first = Number(reply[0]);
  if (first === -1) return { ok: false, reason: 'cancelled' };
  if (first === -2) return { ok: false, reason: 'missing' };
  return { ok: true, budget: first, status: String(reply[1]) };
}

export async function releaseLock(redis: RedisClient, key: string, token: string): Promise<boolean> {
  return Number(await call(redis, 'releaseLock')(key, token)) === 1;
}

export async function extendLock(redis: RedisClient, key: string, token: string, ttlMs: number): Promise<boolean> {
  return Number(await call(redis, 'extendLock')(key, token, ttlMs)) === 1;
}
