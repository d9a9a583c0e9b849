import { Redis } from 'ioredis';
import { pino } from 'pino';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { trialJobId } from '@hyperevolve/contract';
import { SINCE_BEST_HORIZON } from '@hyperevolve/ga-core';
import { CampaignStore } from '../apps/scheduler/src/campaign/campaign-store.js';
import { issuedKey } from '../apps/scheduler/src/campaign/issued-key.js';
import { openQueues, type Queues } from '../apps/scheduler/src/campaign/queues.js';
import { Breeder } from '../apps/scheduler/src/serve/breeder.js';
import { benchCampaignConfig } from '../bench/support/bench-campaign.js';
import { createCampaign } from '../apps/scheduler/src/campaign/create-campaign.js';
import { deletePrefix, uniquePrefix } from './support/redis-prefix.js';

const redisUrl = inject('redisUrl');
const log = pino({ level: 'silent' });
let redis: Redis;
const prefixes: string[] = [];
const queues: Queues[] = [];

beforeAll(() => {
  redis = new Redis(redisUrl, { maxRetriesPerRequest: null });
});
afterAll(async () => {
  await redis.quit();
});
afterEach(async () => {
  for (const q of queues.splice(0)) await q.close();
  for (const prefix of prefixes.splice(0)) await deletePrefix(redis, prefix);
});

async function campaign(budget: number, connection: Redis = redis): Promise<{ prefix: string; breeder: Breeder; store: CampaignStore }> {
  const prefix = uniquePrefix('breeder');
  prefixes.push(prefix);
  const store = new CampaignStore(connection, prefix);
  await createCampaign(connection, store, benchCampaignConfig({ name: 'exp', generations: budget, command: ['x'], adapter: 'generic', outDir: '/tmp', seed: 5 }), budget, []);
  const q = openQueues(connection, prefix);
  queues.push(q);
  return { prefix, store, breeder: new Breeder(store, q, log) };
}

async function hyps(store: CampaignStore, count: number): Promise<string[]> {
  return Promise.all(Array.from({ length: count }, (_, i) => redis.hget(store.keys('exp').trial(i), 'hyp').then((h) => h ?? '')));
}

describe('Breeder.issueMany', () => {
  it('issues a batch of consecutive trials, one job each, the same as issuing one at a time', async () => {
    const batch = await campaign(10);
    expect(await batch.breeder.issueMany('exp', 6)).toBe(6);
    const single = await campaign(10);
    for (let i = 0; i < 6; i++) expect(await single.breeder.issueMany('exp', 1)).toBe(1);
    expect(await hyps(batch.store, 6)).toEqual(await hyps(single.store, 6));
    expect(await redis.hget(batch.store.keys('exp').state, 'nextIndex')).toBe('6');
    expect(await redis.scard(batch.store.keys('exp').inflight)).toBe(6);
    const q = queues[0]!;
    for (let i = 0; i < 6; i++) expect(await q.trials.getJob(trialJobId('exp', i))).toBeDefined();
  });

  it('stops at the budget', async () => {
    const { breeder } = await campaign(4);
    expect(await breeder.issueMany('exp', 10)).toBe(4);
    expect(await breeder.issueMany('exp', 10)).toBe(0);
  });

  it('draws a child again when another trial has its hyps, and breeds the rest of the batch as before', async () => {
    const reference = await campaign(10);
    await reference.breeder.issueMany('exp', 4);
    const expected = await hyps(reference.store, 4);
    const taken = await campaign(10);
    await redis.hset(taken.store.keys('exp').issued, issuedKey(JSON.parse(expected[1]!) as Record<string, number>), 99);
    expect(await taken.breeder.issueMany('exp', 4)).toBe(4);
    const got = await hyps(taken.store, 4);
    expect(got[0]).toBe(expected[0]);
    expect(got[1]).not.toBe(expected[1]);
    expect(got.slice(2)).toEqual(expected.slice(2));
  });

  it('two breeders racing on one campaign issue exactly the budget, each index once', async () => {
    const other = new Redis(redisUrl, { maxRetriesPerRequest: null });
    try {
      const first = await campaign(12);
      const q = openQueues(other, first.prefix);
      queues.push(q);
      const second = new Breeder(new CampaignStore(other, first.prefix), q, log);
      const counts = await Promise.all([first.breeder.issueMany('exp', 8), second.issueMany('exp', 8), first.breeder.issueMany('exp', 8)]);
      expect(counts.reduce((a, b) => a + b, 0)).toBe(12);
      expect((await redis.smembers(first.store.keys('exp').inflight)).map(Number).sort((a, b) => a - b)).toEqual(Array.from({ length: 12 }, (_, i) => i));
      expect(new Set(await hyps(first.store, 12)).size).toBe(12);
    } finally {
      await other.quit();
    }
  });
});

describe('CampaignStore.readBreedingView', () => {
  it('counts the trials recorded after the best, in recording order, up to the horizon strategies read', async () => {
    const { store } = await campaign(100);
    const keys = store.keys('exp');
    expect((await store.readBreedingView('exp', 5)).sinceBest).toBe(0);
    await redis.rpush(keys.rows, 4, 9, 2, 7, 5);
    await redis.hset(keys.state, 'bestTrial', 9);
    expect((await store.readBreedingView('exp', 5)).sinceBest).toBe(3);
    await redis.hset(keys.state, 'bestTrial', 5);
    expect((await store.readBreedingView('exp', 5)).sinceBest).toBe(0);
    await redis.rpush(keys.rows, ...Array.from({ length: SINCE_BEST_HORIZON + 10 }, (_, i) => 10 + i));
    expect((await store.readBreedingView('exp', 5)).sinceBest).toBe(SINCE_BEST_HORIZON);
  });
});
