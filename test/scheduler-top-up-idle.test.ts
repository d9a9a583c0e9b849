import { Redis } from 'ioredis';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { campaignKeys, globalKeys } from '@hyperevolve/contract';
import { CampaignStore } from '../apps/scheduler/src/campaign/campaign-store.js';
import { createCampaign } from '../apps/scheduler/src/campaign/create-campaign.js';
import { deleteCampaign } from '../apps/scheduler/src/campaign/delete-campaign.js';
import { openQueues, type Queues } from '../apps/scheduler/src/campaign/queues.js';
import { Breeder } from '../apps/scheduler/src/serve/breeder.js';
import { LiveWorkers } from '../apps/scheduler/src/serve/live-workers.js';
import { IDLE_RECHECK_MS, SLOW_READS_MS, TopUp } from '../apps/scheduler/src/serve/top-up.js';
import { benchCampaignConfig } from '../bench/support/bench-campaign.js';
import { startPrivateRedis, type PrivateRedis } from './support/private-redis.js';

// A private redis-server: the test counts the top-up's HGETs in INFO commandstats.
let server: PrivateRedis;
let redis: Redis;
let queues: Queues;
const PREFIX = 'idle';
const DONE = 12;

beforeAll(async () => {
  server = await startPrivateRedis();
  redis = new Redis(server.url, { maxRetriesPerRequest: null });
  queues = openQueues(redis, PREFIX);
  for (let i = 0; i < DONE; i++) {
    await redis.sadd(globalKeys(PREFIX).campaigns, `old-${i}`);
    await redis.hset(campaignKeys(PREFIX, `old-${i}`).state, { status: i % 3 === 0 ? 'cancelled' : 'done' });
  }
});
afterAll(async () => {
  await queues.close();
  await redis.quit();
  await server.stop();
});

async function calls(command: string): Promise<number> {
  const stats = await redis.info('commandstats');
  return Number(new RegExp(`cmdstat_${command}:calls=(\\d+)`).exec(stats)?.[1] ?? 0);
}
const stateReads = (): Promise<number> => calls('hmget');

function topUpOf(): TopUp {
  const store = new CampaignStore(redis, PREFIX);
  const log = pino({ level: 'silent' });
  return new TopUp({ redis, store, queues, breeder: new Breeder(store, queues, log), workers: new LiveWorkers(redis, PREFIX), log, lookahead: 1 });
}

/** Ten passes of `topUp` back to back, counted from zeroed command stats; when they started. */
async function tenPasses(topUp: TopUp): Promise<number> {
  await redis.config('RESETSTAT');
  const started = Date.now();
  for (let pass = 0; pass < 10; pass++) {
    topUp.kick(true);
    await topUp.idle();
  }
  return started;
}

describe('top-up passes and campaigns that are not running (private Redis)', () => {
  it('reads the status of a finished campaign once per recheck interval, not on every pass, and again after it (a resumed or extended campaign is seen)', async () => {
    const topUp = topUpOf();
    const started = await tenPasses(topUp);
    const reads = await stateReads();
    // Ten passes inside one interval read each status once; a read per pass would make it 120.
    if (Date.now() - started < IDLE_RECHECK_MS) expect(reads).toBe(DONE);
    else expect(reads).toBeLessThan(DONE * 10);

    await new Promise((resolve) => setTimeout(resolve, IDLE_RECHECK_MS + 50));
    await redis.config('RESETSTAT');
    topUp.kick(true);
    await topUp.idle();
    expect(await stateReads()).toBe(DONE);
  });

  it('reads the campaign names and the live workers once per tick, not on every pass', async () => {
    const topUp = topUpOf();
    const started = await tenPasses(topUp);
    const names = await calls('smembers');
    const workers = await calls('zrangebyscore');
    // A read per pass would make each 10.
    if (Date.now() - started < SLOW_READS_MS) expect([names, workers]).toEqual([1, 1]);
    else expect(names + workers).toBeLessThan(20);
  });

  it("reads a running campaign's config once, not on every pass, and again when the campaign is made anew under its name", async () => {
    const store = new CampaignStore(redis, PREFIX);
    const config = (seed: number) => benchCampaignConfig({ name: 'live', generations: 100, command: ['x'], adapter: 'generic', outDir: '/tmp', seed });
    expect(await createCampaign(redis, store, config(1), 100, [])).toBe('created');
    const topUp = topUpOf();
    const configKey = campaignKeys(PREFIX, 'live').config;
    await tenPasses(topUp);
    // One GET of the config; a read per pass would make it 10.
    expect(await calls('get')).toBe(1);
    const queued = async (): Promise<unknown[]> => (await queues.trials.getJobs(['waiting', 'prioritized'])).flatMap((job) => {
      const data = job.data as { campaign: string; command: unknown };
      return data.campaign === 'live' ? [data.command] : [];
    });
    expect(await queued()).toEqual([['x']]);

    // Made again under its name (deleted, enqueued anew with another command): its new config is read.
    await new Promise((resolve) => setTimeout(resolve, 5));
    await deleteCampaign(redis, store, queues, 'live');
    expect(await redis.exists(configKey)).toBe(0);
    expect(await createCampaign(redis, store, { ...config(2), command: ['y'] }, 100, [])).toBe('created');
    await tenPasses(topUp);
    expect(await calls('get')).toBe(1);
    expect(await queued()).toEqual([['y']]);
  });
});

