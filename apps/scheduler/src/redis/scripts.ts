import { readFileSync } from 'node:fs';
import { campaignKeys, type CampaignKeys } from '@hyperevolve/contract';
import type { RedisClient } from '@hyperevolve/runtime';

function load(file: string): string {
  return readFileSync(new URL(`./${file}`, import.meta.url), 'utf8');
}

const SOURCES = {
  issueTrial: { file: 'issue-trial-4.lua', keys: 4 },
  recordResult: { file: 'record-result-6.lua', keys: 6 },
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

function fieldPairs(fields: Record<string, string | number>): string[] {
  const out: string[] = [];
  for (const [k, v] of Object.entries(fields)) out.push(k, String(v));
  return out;
}

export type IssueOutcome =
  | { ok: true; index: number }
  | { ok: false; reason: 'not-running' | 'budget-full' | 'stale-index' | 'duplicate' };

const ISSUE_CODES = { [-1]: 'not-running', [-2]: 'budget-full', [-3]: 'stale-index', [-4]: 'duplicate' } as const;

export async function issueTrial(
  redis: RedisClient,
  keys: CampaignKeys,
  expectedIndex: number,
  fingerprint: string,
  fields: Record<string, string | number>,
): Promise<IssueOutcome> {
  const result = Number(
    await call(redis, 'issueTrial')(keys.state, keys.issued, keys.inflight, keys.trial(expectedIndex), expectedIndex, fingerprint, ...fieldPairs(fields)),
  );
  if (result >= 0) return { ok: true, index: result };
  const reason = ISSUE_CODES[result as -1 | -2 | -3 | -4];
  if (reason === undefined) throw new Error(`issue-trial returned unknown code ${result}`);
  return { ok: false, reason };
}

export interface IssueItem {
  index: number;
  fingerprint: string;
  fields: Record<string, string | number>;
}

/**
 * issue-trial for consecutive indices in one round trip (a pipeline: each script is atomic on
 * its own). Once one is refused, every later one is refused too (stale index).
 */
export async function issueTrials(redis: RedisClient, keys: CampaignKeys, items: readonly IssueItem[]): Promise<IssueOutcome[]> {
  ensureDefined(redis);
  const pipeline = redis.pipeline();
  const issue = (pipeline as unknown as Record<string, Call | undefined>).he_issueTrial;
  if (issue === undefined) throw new Error('script issueTrial is not registered on the pipeline');
  for (const item of items) {
    void issue.call(pipeline, keys.state, keys.issued, keys.inflight, keys.trial(item.index), item.index, item.fingerprint, ...fieldPairs(item.fields));
  }
  const replies = (await pipeline.exec()) ?? [];
  return replies.map(([error, value]) => {
    if (error !== null) throw error;
    const result = Number(value);
    if (result >= 0) return { ok: true, index: result } as const;
    const reason = ISSUE_CODES[result as -1 | -2 | -3 | -4];
    if (reason === undefined) throw new Error(`issue-trial returned unknown code ${result}`);
    return { ok: false, reason } as const;
  });
}

export type RecordOutcome = 'succeeded' | 'failed' | 'attempt-failed';
export interface RecordReply {
  code: 'recorded' | 'attempt-noted' | 'already-final' | 'unknown-trial' | 'surplus';
  recorded: number;
  bestChanged: boolean;
  campaignStatus: string;
}

const RECORD_CODES: Record<number, RecordReply['code']> = {
  1: 'recorded',
  0: 'attempt-noted',
  [-1]: 'already-final',
  [-2]: 'unknown-trial',
  [-3]: 'surplus',
};

/** `fields.runName` names the run: an attempt failure is counted once per run, however often it is delivered. */
export async function recordResult(
  redis: RedisClient,
  keys: CampaignKeys,
  index: number,
  outcome: RecordOutcome,
  fitness: number,
  maxConsecutiveFailures: number,
  fields: Record<string, string | number>,
): Promise<RecordReply> {
  const reply = (await call(redis, 'recordResult')(
    keys.state, keys.trial(index), keys.population, keys.rows, keys.inflight, keys.failures,
    index, outcome, Number.isFinite(fitness) ? String(fitness) : '0', Date.now(), maxConsecutiveFailures,
    fields.runName === undefined ? '' : String(fields.runName), ...fieldPairs(fields),
  )) as [number, number, number, string];
  const code = RECORD_CODES[Number(reply[0])];
  if (code === undefined) throw new Error(`record-result returned unknown code ${reply[0]}`);
  return { code, recorded: Number(reply[1]), bestChanged: Number(reply[2]) === 1, campaignStatus: String(reply[3]) };
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
