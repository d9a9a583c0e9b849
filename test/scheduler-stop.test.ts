import { Writable } from 'node:stream';
import { Redis } from 'ioredis';
import { pino, type Logger } from 'pino';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { SchedulerService } from '../apps/scheduler/src/serve/scheduler-service.js';
import { deletePrefix, uniquePrefix } from './support/redis-prefix.js';

/** A pino logger whose lines land in an array, for checking what a stop logs. */
function capturingLogger(): { log: Logger; lines: { level: number; msg: string; err?: { message: string } }[] } {
  const lines: { level: number; msg: string; err?: { message: string } }[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString().split('\n')) if (line.trim() !== '') lines.push(JSON.parse(line) as (typeof lines)[number]);
      done();
    },
  });
  return { log: pino({ level: 'debug' }, sink), lines };
}

describe('scheduler serve stopping', () => {
  const redisUrl = inject('redisUrl');
  const prefixes: string[] = [];

  afterEach(async () => {
    const client = new Redis(redisUrl);
    for (const prefix of prefixes.splice(0)) await deletePrefix(client, prefix);
    await client.quit();
  });

  it('waits for a periodic task under way (a reconcile) before it closes: no "Connection is closed" after "scheduler stopped"', async () => {
    const prefix = uniquePrefix('stop');
    prefixes.push(prefix);
    const redis = new Redis(redisUrl, { maxRetriesPerRequest: null });
    const { log, lines } = capturingLogger();
    const service = new SchedulerService({ redis, prefix, log, lookahead: 0, tickMs: 1000, reconcileMs: 100, exportIntervalMs: 50 });
    // A reconcile that is still reading Redis when the stop comes (a big installation's scan).
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let started: () => void = () => undefined;
    const reconciling = new Promise<void>((resolve) => (started = resolve));
    let reconciled = false;
    service.reconcile = async () => {
      started();
      await gate;
      await redis.ping();
      reconciled = true;
    };
    await service.start();
    await reconciling;

    let stopped = false;
    const stopping = service.stop().then(() => (stopped = true));
    // The stop must not finish (and the caller close the connection) under the running task.
    // Bounded wait for a negative: an early finish is the failure being tested.
    await Promise.race([stopping, new Promise((resolve) => setTimeout(resolve, 1500))]);
    expect(stopped).toBe(false);
    release();
    await stopping;
    expect(reconciled).toBe(true);
    await redis.quit();

    expect(lines.filter((line) => line.level >= 40).map((line) => `${line.msg}: ${line.err?.message ?? ''}`)).toEqual([]);
    expect(lines.at(-1)?.msg).toBe('scheduler stopped');
  });
});
