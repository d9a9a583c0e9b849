import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pino } from 'pino';
import { metricsFromWire, type TrialRecord } from '@hyperevolve/contract';
import type { RunStart } from '@hyperevolve/trial-store';
import { fitness, yolov5Profile } from '@hyperevolve/ga-core';
import { CampaignStore } from '../../apps/scheduler/src/campaign/campaign-store.js';
import { openQueues } from '../../apps/scheduler/src/campaign/queues.js';
import { exportCampaign } from '../../apps/scheduler/src/exports/campaign-export.js';
import { Breeder } from '../../apps/scheduler/src/serve/breeder.js';
import { sampleRun } from '../../test/support/sample-run.js';
import { withBenchRedis } from '../harness/bench-redis.js';
import { infoSum } from '../harness/redis-info.js';
import { quantile } from '../harness/stats.js';
import type { BenchContext, ScenarioResult, Target } from '../harness/scenario.js';
import { createBenchCampaign } from '../support/bench-campaign.js';
import { loadPopulation } from '../support/population-loader.js';
import { captureTrialTemplate } from '../support/trial-template.js';
import { benchDir } from '../harness/bench-dir.js';
import type { RedisClient } from '@hyperevolve/runtime';

const PREFIX = 'bench';
const NAME = 'population';

const NOTE =
  'population: a real 3-trial run gives a template trial record; n copies (own hyps, metrics, fitness) are written with pipelines, ' +
  'with the population zset, rows list and issued hash. breed = Breeder.issueMany(1) (snapshot of the top 5 in one MULTI + their hyps, ' +
  'breedCandidate, issue-trial script, BullMQ add); record = the record-result script with what the recorder writes (the run start, written by the worker, is not timed); ' +
  'memory = INFO used_memory delta / n (trial_hash_bytes: MEMORY USAGE of one trial hash; _listpack_1024: the same hash under hash-max-listpack-value 1024, as docker-compose.yml starts Redis); export = exportCampaign from an empty row cache (evolve.csv + hyp_evolve.yaml).';

export async function population(context: BenchContext): Promise<ScenarioResult[]> {
  const results: ScenarioResult[] = [];
  for (const size of context.quick ? [10_000] : [100_000, 1_000_000]) {
    context.progress(`population: ${size} recorded trials`);
    results.push(await atSize(size, context.quick ? 200 : 1000, context));
  }
  return results;
}

async function atSize(size: number, samples: number, context: BenchContext): Promise<ScenarioResult> {
  const dir = await benchDir();
  try {
    return await withBenchRedis(context.cluster, async (redis) => {
      const template = await captureTrialTemplate(redis.target, redis.client);
      const client = redis.client;
      const config = await createBenchCampaign(client, PREFIX, { name: NAME, generations: size + samples + 1, command: ['bench-trainer'], adapter: 'generic', outDir: dir });
      const store = new CampaignStore(client, PREFIX);
      const keys = store.keys(NAME);
      const before = await usedMemory(client);
      const loadStarted = performance.now();
      await loadPopulation(client, store.trials, keys, config, template, size);
      const loadSeconds = (performance.now() - loadStarted) / 1000;
      const perTrial = ((await usedMemory(client)) - before) / size;
      context.progress(`population: loaded ${size} trials in ${loadSeconds.toFixed(1)} s; breeding and recording ${samples} more`);

      const queues = openQueues(client, PREFIX);
      const breeder = new Breeder(store, queues, pino({ level: 'silent' }));
      const breedMs: number[] = [];
      const issued: number[] = [];
      for (let i = 0; i < samples; i++) {
        const started = performance.now();
        const count = await breeder.issueMany(NAME, 1);
        breedMs.push(performance.now() - started);
        if (count !== 1) throw new Error(`the breeder issued no trial at sample ${i}; the campaign's budget or status is off`);
        issued.push(size + i);
      }
      const recordMs: number[] = [];
      const metrics = template.metrics ?? {};
      const value = fitness(metricsFromWire(metrics), yolov5Profile.defaultFitnessWeights, yolov5Profile.fitnessMetrics);
      for (const index of issued) {
        // The worker's start (not measured) writes the run fields; the recorder writes the outcome.
        const run = runOf(template, index);
        await store.trials.start(NAME, index, run);
        const started = performance.now();
        await store.trials.record(NAME, index, {
          outcome: 'succeeded', fitness: value, maxConsecutiveFailures: config.maxConsecutiveFailures, runName: run.runName, unstartedRun: null,
          startedAt: run.startedAt, endedAt: run.startedAt + 1000, metrics, failure: null,
        });
        recordMs.push(performance.now() - started);
      }
      await queues.close();

      context.progress(`population: exporting evolve.csv of ${size + samples} rows`);
      const heapBefore = process.memoryUsage().heapUsed;
      const exportStarted = performance.now();
      const exported = await exportCampaign(store, NAME, join(dir, NAME));
      const exportSeconds = (performance.now() - exportStarted) / 1000;
      const exportHeap = (process.memoryUsage().heapUsed - heapBefore) / 2 ** 20;
      if (exported?.rows !== size + samples) throw new Error(`export wrote ${exported?.rows ?? 0} rows, expected ${size + samples}`);

      const targets: Target[] = [{ metric: 'redis_bytes_per_trial', op: '<=', bound: 1024 }];
      if (size >= 1_000_000) targets.push({ metric: 'breed_p99_ms', op: '<=', bound: 2 });
      return {
        name: 'population',
        params: { trials: size, samples },
        metrics: {
          breed_p50_ms: quantile(breedMs, 0.5),
          breed_p99_ms: quantile(breedMs, 0.99),
          record_p50_ms: quantile(recordMs, 0.5),
          record_p99_ms: quantile(recordMs, 0.99),
          redis_bytes_per_trial: perTrial,
          trial_hash_bytes: await memoryUsage(client, keys.trial(Math.floor(size / 2))),
          trial_hash_bytes_listpack_1024: await listpackUsage(client, keys.trial(Math.floor(size / 2))),
          export_s: exportSeconds,
          export_heap_mib: exportHeap,
          load_trials_per_s: size / loadSeconds,
        },
        targets,
        notes: [NOTE],
      };
    });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** The run of trial `index` as a worker starts it, from a real record's run fields. */
function runOf(template: TrialRecord, index: number): RunStart {
  const runName = `${index}-1`;
  const renamed = (text: string): string => (template.runName === undefined ? text : text.split(template.runName).join(runName));
  return sampleRun({
    attempt: 1,
    runName,
    worker: { id: template.worker ?? 'bench', host: template.host ?? 'bench', device: template.device ?? 'cpu' },
    device: template.device ?? 'cpu',
    startedAt: Date.now(),
    trialDir: renamed(template.trialDir ?? ''),
    logPath: renamed(template.logPath ?? ''),
    command: (template.command ?? []).map(renamed),
  });
}

async function usedMemory(redis: RedisClient): Promise<number> {
  return infoSum(redis, 'memory', 'used_memory');
}

async function memoryUsage(redis: RedisClient, key: string): Promise<number> {
  return Number(await redis.call('MEMORY', 'USAGE', key, 'SAMPLES', '0'));
}

/**
 * The same trial hash stored under `hash-max-listpack-value 1024` (docker-compose.yml's Redis):
 * a copy written after the setting is raised on this private server, measured, removed, and the
 * setting put back.
 */
async function listpackUsage(redis: RedisClient, key: string): Promise<number> {
  const fields = await redis.hgetall(key);
  const copy = `${key}:listpack-copy`;
  const [, previous] = (await redis.config('GET', 'hash-max-listpack-value')) as [string, string];
  await redis.config('SET', 'hash-max-listpack-value', '1024');
  try {
    await redis.hset(copy, fields);
    return await memoryUsage(redis, copy);
  } finally {
    await redis.del(copy);
    await redis.config('SET', 'hash-max-listpack-value', previous);
  }
}
