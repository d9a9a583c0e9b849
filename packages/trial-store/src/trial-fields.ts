import type { ChainableCommander } from 'ioredis';
import { CorruptStateError, TrialRecordSchema, describeZodError, encodeTrialFields, type TrialFieldName, type TrialRecord } from '@hyperevolve/contract';
import type { RedisClient } from '@hyperevolve/runtime';

/**
 * The one decoding policy of the trial store: a field that fails its codec is a damaged record,
 * reported as CorruptStateError with the key and the fix, never read as empty or skipped.
 */
export function decodeTrial(key: string, names: readonly TrialFieldName[], values: readonly (string | null | undefined)[]): TrialRecord {
  const raw: Record<string, string> = {};
  names.forEach((name, i) => {
    const value = values[i];
    if (value !== null && value !== undefined) raw[name] = value;
  });
  const parsed = TrialRecordSchema.safeParse(raw);
  if (!parsed.success) throw new CorruptStateError(key, describeZodError(parsed.error));
  return parsed.data;
}

/** `names` of one trial, decoded; a trial without any of them reads as {}. */
export async function readFields(redis: RedisClient, key: string, names: readonly TrialFieldName[]): Promise<TrialRecord> {
  return decodeTrial(key, names, await redis.hmget(key, ...names));
}

/** Trial hashes read at once (keys of one campaign share a slot, so one pipeline serves a cluster too). */
const BATCH = 2000;

/** `names` of many trials (one campaign), in one pipeline per {@link BATCH}, decoded in order. */
export async function readManyFields(redis: RedisClient, keys: readonly string[], names: readonly TrialFieldName[]): Promise<TrialRecord[]> {
  const records: TrialRecord[] = [];
  for (let start = 0; start < keys.length; start += BATCH) {
    const slice = keys.slice(start, start + BATCH);
    const pipeline = redis.pipeline();
    for (const key of slice) pipeline.hmget(key, ...names);
    const replies = (await pipeline.exec()) ?? [];
    slice.forEach((key, i) => {
      const [error, values] = replies[i] ?? [new Error(`no reply for ${key}`), null];
      if (error !== null) throw error;
      records.push(decodeTrial(key, names, values as (string | null)[]));
    });
  }
  return records;
}

/** Field/value pairs for a script's ARGV (HSET key unpack(ARGV, n)). */
export function fieldPairs(values: TrialRecord): string[] {
  return Object.entries(encodeTrialFields(values)).flat();
}

/** Queues writing `values` into a trial hash on a MULTI or pipeline. */
export function queueFields(multi: ChainableCommander, key: string, values: TrialRecord): void {
  multi.hset(key, encodeTrialFields(values));
}
