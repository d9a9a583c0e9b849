import { CorruptStateError, EpochEntrySchema, describeZodError, type CampaignKeys, type EpochEntry } from '@hyperevolve/contract';
import type { RedisClient } from '@hyperevolve/runtime';

/** A trial's learning curve: every recorded epoch of every run, oldest first. */
export async function readCurve(redis: RedisClient, keys: CampaignKeys, index: number): Promise<EpochEntry[]> {
  const key = keys.curve(index);
  return (await redis.lrange(key, 0, -1)).map((raw, i) => {
    let json: unknown;
    try {
      json = JSON.parse(raw);
    } catch {
      throw new CorruptStateError(key, `entry ${i} is not JSON (${JSON.stringify(raw.slice(0, 60))})`);
    }
    const parsed = EpochEntrySchema.safeParse(json);
    if (!parsed.success) throw new CorruptStateError(key, `entry ${i}: ${describeZodError(parsed.error)}`);
    return parsed.data;
  });
}
