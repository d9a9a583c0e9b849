import type { Redis } from 'ioredis';

/** One key of a Redis dump (fixtures/redis/*.json), by type. */
export type FixtureValue =
  | { string: string }
  | { hash: Record<string, string> }
  | { list: string[] }
  | { set: string[] }
  | { zset: string[] };

export interface RedisFixture {
  /** The commit whose code wrote the keys. */
  writtenBy: string;
  /** Keys without their prefix (`c:{exp}:config`, …). */
  keys: Record<string, FixtureValue>;
  /** Files the exporter of that commit wrote, by campaign. */
  exports: Record<string, Record<string, string>>;
  /** What that commit bred next, by campaign: the trial hash's fields as strings. */
  nextTrials: Record<string, { index: number; hyp: string; parents: string; pool: string; origin: string; draws: string }[]>;
}

/** Writes a dump's keys under `prefix` and registers its campaigns, as the release that wrote them left them. */
export async function loadRedisFixture(redis: Redis, prefix: string, fixture: RedisFixture, campaigns: readonly string[]): Promise<void> {
  const multi = redis.multi();
  for (const [name, value] of Object.entries(fixture.keys)) {
    const key = `${prefix}:${name}`;
    if ('string' in value) multi.set(key, value.string);
    else if ('hash' in value) multi.hset(key, value.hash);
    else if ('list' in value) multi.rpush(key, ...value.list);
    else if ('set' in value) multi.sadd(key, ...value.set);
    else for (let i = 0; i < value.zset.length; i += 2) multi.zadd(key, value.zset[i + 1] ?? '0', value.zset[i] ?? '');
  }
  multi.sadd(`${prefix}:campaigns`, ...campaigns);
  await multi.exec();
}
