import { Redis } from 'ioredis';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { globalKeys } from '@hyperevolve/contract';
import { Heartbeat, IDLE_BEAT_DELAY_MS } from '../apps/worker/src/heartbeat.js';
import { startPrivateRedis, type PrivateRedis } from './support/private-redis.js';
import { waitFor } from './support/wait-for.js';

// A private redis-server: the test counts the heartbeat's MULTI/EXEC round trips in INFO commandstats.
let server: PrivateRedis;
let redis: Redis;
beforeAll(async () => {
  server = await startPrivateRedis();
  redis = new Redis(server.url);
});
afterAll(async () => {
  await redis.quit();
  await server.stop();
});

async function execCalls(): Promise<number> {
  const stats = await redis.info('commandstats');
  return Number(/cmdstat_exec:calls=(\d+)/.exec(stats)?.[1] ?? 0);
}

describe('worker heartbeat with trials shorter than its delay (real Redis)', () => {
  it('trials that start and end within the delay cost no beat each: one beat after the last tells the end', async () => {
    const key = globalKeys('hbs').worker('host-s:0');
    const beat = new Heartbeat({ redis, prefix: 'hbs', identity: { id: 'host-s:0', host: 'host-s', device: '0' }, allow: '*', intervalMs: 60_000, log: pino({ level: 'silent' }) });
    beat.start();
    await waitFor(async () => (await redis.exists(key)) === 1, { what: 'the first beat' });
    await redis.config('RESETSTAT');
    let lastEnd = 0;
    for (let i = 0; i < 20; i++) {
      beat.trialStarted(`exp/${i}`, Date.now());
      lastEnd = Date.now();
      beat.trialEnded(lastEnd);
    }
    await waitFor(async () => Number(await redis.hget(key, 'lastTrialEndedAt')) === lastEnd, { what: 'the end of the last trial in the heartbeat' });
    await new Promise((resolve) => setTimeout(resolve, IDLE_BEAT_DELAY_MS * 2));
    expect(await redis.hget(key, 'currentTrial')).toBeNull();
    // A beat at each start would make it 20 or more (or at least 2, coalesced behind the one in flight).
    expect(await execCalls()).toBe(1);
    await beat.stop();
  });
});
