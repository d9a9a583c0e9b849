import { Redis } from 'ioredis';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { globalKeys } from '@hyperevolve/contract';
import { Heartbeat, IDLE_BEAT_DELAY_MS } from '../apps/worker/src/heartbeat.js';
import { startPrivateRedis, type PrivateRedis } from './support/private-redis.js';
import { waitFor } from './support/wait-for.js';

// A private redis-server: the tests count the heartbeat's MULTI/EXEC round trips in INFO commandstats.
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

const PREFIX = 'hb';
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A device's heartbeat whose periodic beat never comes during a test: only trial events beat. */
function heartbeat(id: string): { beat: Heartbeat; key: string } {
  const identity = { id, host: 'host-a', device: '0' };
  return { beat: new Heartbeat({ redis, prefix: PREFIX, identity, allow: '*', intervalMs: 60_000, log: pino({ level: 'silent' }) }), key: globalKeys(PREFIX).worker(id) };
}

async function execCalls(): Promise<number> {
  const stats = await redis.info('commandstats');
  return Number(/cmdstat_exec:calls=(\d+)/.exec(stats)?.[1] ?? 0);
}

describe('worker heartbeat (real Redis)', () => {
  it('back-to-back trials beat once each, at the start; the end is told only when no trial follows', async () => {
    const { beat, key } = heartbeat('host-a:0');
    beat.start();
    await waitFor(async () => (await redis.exists(key)) === 1, { what: 'the first beat' });
    await redis.config('RESETSTAT');
    for (let i = 0; i < 10; i++) {
      beat.trialStarted(`exp/${i}`, Date.now());
      await waitFor(async () => (await redis.hget(key, 'currentTrial')) === `exp/${i}`, { what: `exp/${i} in the heartbeat` });
      beat.trialEnded(Date.now());
    }
    await sleep(IDLE_BEAT_DELAY_MS * 3);
    const fields = await redis.hgetall(key);
    expect(fields.currentTrial).toBeUndefined();
    expect(fields.trialStartedAt).toBeUndefined();
    expect(Number(fields.lastTrialEndedAt)).toBeGreaterThan(0);
    // 10 starts and one idle beat after the last end; an end beat per trial would make it 20.
    expect(await execCalls()).toBe(11);
    await beat.stop();
  });

  it('a trial start asked for while a beat is still in flight is written right after it, not at the next interval', async () => {
    const { beat, key } = heartbeat('host-a:1');
    beat.start();
    beat.trialStarted('exp/7', Date.now());
    await waitFor(async () => (await redis.hget(key, 'currentTrial')) === 'exp/7', { timeoutMs: 5_000, what: 'exp/7 in the heartbeat' });
    await beat.stop();
  });

  it('stop removes the worker, and a pending end-of-trial beat does not bring it back', async () => {
    const { beat, key } = heartbeat('host-a:2');
    beat.start();
    beat.trialStarted('exp/1', Date.now());
    await waitFor(async () => (await redis.hget(key, 'currentTrial')) === 'exp/1', { what: 'exp/1 in the heartbeat' });
    beat.trialEnded(Date.now());
    await beat.stop();
    await sleep(IDLE_BEAT_DELAY_MS * 2);
    expect(await redis.exists(key)).toBe(0);
    expect(await redis.zscore(globalKeys(PREFIX).workers, 'host-a:2')).toBeNull();
  });
});

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
