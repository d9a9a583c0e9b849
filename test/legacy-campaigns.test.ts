import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { pino } from 'pino';
import { afterAll, afterEach, describe, expect, inject, it } from 'vitest';
import { CampaignStore } from '../apps/scheduler/src/campaign/campaign-store.js';
import { openQueues } from '../apps/scheduler/src/campaign/queues.js';
import { exportCampaign } from '../apps/scheduler/src/exports/campaign-export.js';
import { extendBudget } from '../apps/scheduler/src/redis/scripts.js';
import { Breeder } from '../apps/scheduler/src/serve/breeder.js';
import { loadRedisFixture, type RedisFixture } from './support/redis-fixture.js';
import { BIN, runCli } from './support/processes.js';
import { deletePrefix, uniquePrefix } from './support/redis-prefix.js';

/**
 * Campaigns written into Redis by an older release keep working: `fixtures/redis/campaigns-1af88bb.json`
 * holds every key of three campaigns as commit 1af88bb wrote them (a YOLOv5 run with sim-train, a
 * generic run with weighted parents, custom fitness weights and fitness-only trials, and one
 * seeded from YOLOv5's own evolve.csv), the files it exported, and the next two trials it bred
 * after its budget was extended. Today's code must export the same bytes and breed the same trials.
 */
const FIXTURE = 'fixtures/redis/campaigns-1af88bb.json';
const CAMPAIGNS = ['legacy-yolo', 'legacy-generic', 'legacy-imported'] as const;

const redisUrl = inject('redisUrl');
const redis = new Redis(redisUrl, { maxRetriesPerRequest: null });
const prefixes: string[] = [];
const dirs: string[] = [];

afterEach(async () => {
  for (const prefix of prefixes.splice(0)) await deletePrefix(redis, prefix);
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});
afterAll(async () => {
  await redis.quit();
});

async function loaded(): Promise<{ fixture: RedisFixture; store: CampaignStore; prefix: string }> {
  const prefix = uniquePrefix('legacy');
  prefixes.push(prefix);
  const fixture = JSON.parse(await readFile(FIXTURE, 'utf8')) as RedisFixture;
  await loadRedisFixture(redis, prefix, fixture, CAMPAIGNS);
  return { fixture, store: new CampaignStore(redis, prefix), prefix };
}

/**
 * One deliberate change since 1af88bb: a generic campaign's exports end with each trial's
 * fitness (a trial that reported only {"fitness": x} had nan in every column, and no reader could
 * get its fitness back). Otherwise the bytes that release wrote: trials 0 and 2 reported only a
 * fitness (0.1 and 0.12000000000000001 in their hashes), trial 1 its metrics (0.255 under the
 * campaign's weights 0,0,0.5,0.5) and is the best.
 */
function withFitnessColumn(files: Record<string, string> | undefined): Record<string, string> | undefined {
  if (files === undefined) return undefined;
  const cells = ['fitness', '0.1', '0.255', '0.12'].map((cell) => `,${cell.padStart(20)}`);
  const csv = (files['evolve.csv'] ?? '').split('\n').map((line, i) => (line === '' ? line : line + (cells[i] ?? ''))).join('\n');
  const yaml = (files['hyp_evolve.yaml'] ?? '').replace(/^(# +metrics\/precision.*)$/m, `$1, ${'fitness'.padStart(20)}`).replace(/^(# +0\.5, .*)$/m, `$1, ${'0.255'.padStart(20)}`);
  return { ...files, 'evolve.csv': csv, 'hyp_evolve.yaml': yaml };
}

describe('campaigns written by an older release', () => {
  it.each(CAMPAIGNS)('%s: evolve.csv and hyp_evolve.yaml export byte for byte as that release wrote them (a generic campaign with its fitness column added)', async (name) => {
    const { fixture, store } = await loaded();
    const dir = await mkdtemp(join(tmpdir(), 'legacy-export-'));
    dirs.push(dir);
    const result = await exportCampaign(store, name, dir);
    expect(result?.wroteBest).toBe(true);
    const expected = name === 'legacy-generic' ? withFitnessColumn(fixture.exports[name]) : fixture.exports[name];
    expect(await readFile(join(dir, 'evolve.csv'), 'utf8')).toBe(expected?.['evolve.csv']);
    expect(await readFile(join(dir, 'hyp_evolve.yaml'), 'utf8')).toBe(expected?.['hyp_evolve.yaml']);
  });

  it.each(CAMPAIGNS)('%s: extended by two generations, breeds the two trials that release bred', async (name) => {
    const { fixture, store, prefix } = await loaded();
    const queues = openQueues(redis, prefix);
    try {
      expect((await extendBudget(redis, store.keys(name), 2)).ok).toBe(true);
      const breeder = new Breeder(store, queues, pino({ level: 'silent' }));
      expect(await breeder.issueMany(name, 2)).toBe(2);
      const expected = fixture.nextTrials[name] ?? [];
      for (const trial of expected) {
        const [hyp, parents, pool, origin, draws] = await redis.hmget(store.keys(name).trial(trial.index), 'hyp', 'parents', 'pool', 'origin', 'draws');
        expect({ index: trial.index, hyp, parents, pool, origin, draws }).toEqual(trial);
      }
    } finally {
      await queues.close();
    }
  });

  it('legacy-generic: enqueue with the flags that created it adds generations (its stored settings equal today\'s)', async () => {
    const { fixture, store, prefix } = await loaded();
    const config = JSON.parse((fixture.keys['c:{legacy-generic}:config'] as { string: string }).string) as { command: string[]; parentStrategy: string };
    expect(config.parentStrategy).toBe('weighted'); // the shape that release wrote
    // --keep-artifacts all: today's name for what that release did (it deleted nothing), which
    // is what a campaign stored without the setting keeps.
    const flags = ['--adapter', 'generic', '--parent', 'weighted', '--fitness-weights', '0,0,0.5,0.5', '--timeout', '10m', '--attempts', '2', '--max-failures', '4', '--out', '/tmp/cap/out', '--keep-artifacts', 'all'];
    const enqueued = await runCli(BIN.scheduler, ['enqueue', '--name', 'legacy-generic', '--generations', '2', ...flags, '--', ...config.command], { REDIS_URL: redisUrl, HYPEREVOLVE_PREFIX: prefix });
    expect(enqueued.stderr).toBe('');
    expect(enqueued.code).toBe(0);
    expect(enqueued.stdout).toMatch(/campaign legacy-generic: budget now 5 generations/);
    expect((await store.readState('legacy-generic'))?.budget).toBe(5);
    const other = await runCli(BIN.scheduler, ['enqueue', '--name', 'legacy-generic', '--generations', '2', ...flags.slice(0, 2), '--parent', 'single', ...flags.slice(4), '--', ...config.command], { REDIS_URL: redisUrl, HYPEREVOLVE_PREFIX: prefix });
    expect(other.code).toBe(2);
    expect(other.stderr).toMatch(/strategy: campaign has \{"name":"weighted","params":\{\}\}, this enqueue gives \{"name":"single","params":\{\}\}/);
  });
});
