import { mkdtemp, readdir, readFile, rename, writeFile } from 'node:fs/promises';
import { BIN } from './support/processes.js';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import { Cluster } from './support/cluster.js';
import { startPrivateRedis, type PrivateRedis } from './support/private-redis.js';
import { uniquePrefix } from './support/redis-prefix.js';
import { waitFor } from './support/wait-for.js';

const ENV = { HYPEREVOLVE_LOCK_MS: '2000', HYPEREVOLVE_STALLED_MS: '1000', HYPEREVOLVE_LOG_LEVEL: 'info' };

let server: PrivateRedis | null = null;
let cluster: Cluster | null = null;
let watcher: Redis | null = null;
afterEach(async () => {
  watcher?.disconnect();
  await cluster?.stop();
  await server?.stop();
  watcher = null;
  cluster = null;
  server = null;
});

async function start(name: string): Promise<{ c: Cluster; redis: Redis }> {
  server = await startPrivateRedis();
  cluster = await Cluster.create({ redisUrl: server.url, prefix: uniquePrefix(name), env: ENV });
  watcher = new Redis(server.url, { maxRetriesPerRequest: null, retryStrategy: () => 100 });
  watcher.on('error', () => undefined);
  return { c: cluster, redis: watcher };
}

async function waitDone(redis: Redis, c: Cluster, name: string, recorded: number): Promise<void> {
  const state = `${c.prefix}:c:{${name}}:state`;
  await waitFor(async () => (await redis.hget(state, 'status')) === 'done' && Number(await redis.hget(state, 'recorded')) === recorded, {
    timeoutMs: 120_000, intervalMs: 100, what: `campaign ${name} to finish with ${recorded} rows`,
  });
}

describe('Redis loses a campaign (restarted without its append-only file)', () => {
  it('enqueue refuses to overwrite the surviving files; once they are moved, the exports of the campaign enqueued again equal scheduler export (the rows cache notices the rows list started over)', async () => {
    const { c, redis } = await start('loss-export');
    c.serve();
    c.worker();
    await c.enqueue(['--name', 'exp', '--generations', '6', '--seed', '1']);
    await waitDone(redis, c, 'exp', 6);
    const csvPath = join(c.outDir, 'exp', 'evolve.csv');
    await waitFor(async () => (await readFile(csvPath, 'utf8').catch(() => '')).trimEnd().split('\n').length === 7, { what: 'evolve.csv with 6 rows' });

    await waitFor(async () => (await readdir(join(c.outDir, 'exp'))).includes('evolve.png'), { what: 'evolve.png' });
    await server?.kill('SIGKILL');
    await server?.restart();
    // Every export a campaign writes survives a refused enqueue, byte for byte.
    await writeFile(join(c.outDir, 'exp', 'pruned.csv'), 'index,rung\n3,1\n');
    const dir = join(c.outDir, 'exp');
    const before = new Map(await Promise.all((await readdir(dir)).map(async (name) => [name, await readFile(join(dir, name))] as const)));
    expect([...before.keys()].sort()).toEqual(['evolve.csv', 'evolve.png', 'hyp_evolve.yaml', 'pruned.csv']);
    const refused = await c.cli(['enqueue', '--out', c.outDir, '--name', 'exp', '--generations', '3', '--seed', '2', '--', process.execPath, BIN.simTrain, '--epochs', '2', '--duration-ms', '40']);
    expect(refused.code).toBe(2);
    expect(refused.stdout).toBe('');
    expect(refused.stderr).toContain(`campaign exp is not in Redis, but ${csvPath} holds 6 rows of it: Redis lost it`);
    expect(refused.stderr).toContain(`scheduler enqueue --name exp --out ${c.outDir} --seed-from ${csvPath} --generations N -- <training command>`);
    expect(refused.stderr).toContain('would overwrite evolve.csv: 6 rows, hyp_evolve.yaml, evolve.png, pruned.csv: 1 rows, so enqueue refuses');
    expect(await redis.smembers(`${c.prefix}:campaigns`)).toEqual([]);
    for (const [name, bytes] of before) expect((await readFile(join(dir, name))).equals(bytes), name).toBe(true);

    // Moved away as the message says: the name starts afresh.
    await rename(dir, join(c.dir, 'exp-before'));
    await c.enqueue(['--name', 'exp', '--generations', '3', '--seed', '2']);
    await waitDone(redis, c, 'exp', 3);

    const fresh = await mkdtemp(join(c.dir, 'export-'));
    const exported = await c.cli(['export', '--name', 'exp', '--out', fresh]);
    expect(exported.code, exported.stderr).toBe(0);
    const expected = {
      csv: await readFile(join(fresh, 'exp', 'evolve.csv'), 'utf8'),
      yaml: await readFile(join(fresh, 'exp', 'hyp_evolve.yaml'), 'utf8'),
    };
    expect(expected.csv.trimEnd().split('\n')).toHaveLength(4);
    expect(expected.yaml).toMatch(/# Last generation: 2\n/);
    const files = await waitFor(async () => {
      const csv = await readFile(csvPath, 'utf8').catch(() => '');
      const yaml = await readFile(join(c.outDir, 'exp', 'hyp_evolve.yaml'), 'utf8').catch(() => '');
      return csv === expected.csv && yaml === expected.yaml ? { csv, yaml } : undefined;
    }, { timeoutMs: 20_000, what: 'serve\'s evolve.csv and hyp_evolve.yaml to equal scheduler export' }).catch(async () => ({
      csv: await readFile(csvPath, 'utf8'),
      yaml: await readFile(join(c.outDir, 'exp', 'hyp_evolve.yaml'), 'utf8'),
    }));
    expect(files).toEqual(expected);
  }, 240_000);

  it('serve and status say a campaign whose evolve.csv is on disk is missing from Redis, and how to restore it; the advice works', async () => {
    const { c, redis } = await start('loss-said');
    // The watch checks Redis every 5 s, the first time 5 s after serve starts: the campaign
    // (4 short trials) normally lives and ends before it, so only its files being written tell
    // serve it existed.
    const serve = c.serve(['--reconcile-ms', '5000']);
    c.worker();
    await c.enqueue(['--name', 'exp', '--generations', '4', '--seed', '1']);
    await waitDone(redis, c, 'exp', 4);
    const csvPath = join(c.outDir, 'exp', 'evolve.csv');
    await waitFor(async () => (await readFile(csvPath, 'utf8').catch(() => '')).trimEnd().split('\n').length === 5, { what: 'evolve.csv with 4 rows' });

    await server?.kill('SIGKILL');
    await server?.restart();
    const advice = `scheduler enqueue --name exp --out ${c.outDir} --seed-from ${csvPath} --generations N -- <training command>`;
    await serve.waitForOutput(/campaign exp is not in Redis, but .*evolve\.csv holds 4 rows of it: Redis lost it \(restarted without its append-only file, flushed, or evicted\)/, 60_000);
    expect(serve.output()).toContain(advice);

    const status = await c.cli(['status', '--out', c.outDir]);
    expect(status.code, status.stderr).toBe(0);
    expect(status.stdout).toContain(`warning: campaign exp is not in Redis, but ${csvPath} holds 4 rows of it`);
    expect(status.stdout).toContain(advice);
    const one = await c.cli(['status', '--name', 'exp', '--out', c.outDir]);
    expect(one.code).toBe(2);
    expect(one.stderr).toContain(advice);
    const json = await c.cli(['status', '--json', '--out', c.outDir]);
    expect((JSON.parse(json.stdout) as { orphanedExports: unknown[] }).orphanedExports).toEqual([{ name: 'exp', path: csvPath, rows: 4 }]);

    // The advice, followed: the campaign starts again from the surviving rows.
    await c.enqueue(['--name', 'exp', '--seed-from', csvPath, '--generations', '2', '--seed', '2']);
    const after = await c.cli(['status', '--out', c.outDir]);
    expect(after.stdout).not.toContain('is not in Redis');
    await waitFor(async () => (await readFile(csvPath, 'utf8').catch(() => '')).trimEnd().split('\n').length === 7, { timeoutMs: 120_000, what: 'evolve.csv with the 4 restored rows and 2 new ones' });
  }, 240_000);
});
