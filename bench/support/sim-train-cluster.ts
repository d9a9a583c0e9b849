import { rm } from 'node:fs/promises';
import { campaignKeys, globalKeys } from '@hyperevolve/contract';
import { TrialStore } from '@hyperevolve/trial-store';
import { Cluster } from '../../test/support/cluster.js';
import { waitFor } from '../../test/support/wait-for.js';
import type { RunSpan } from './busy-figures.js';
import type { RedisClient } from '@hyperevolve/runtime';

export interface SimTrainRunOptions {
  /** REDIS_URL or REDIS_CLUSTER_NODES for the processes. */
  redisEnv: Readonly<Record<string, string>>;
  redis: RedisClient;
  workers: number;
  trials: number;
  trialMs: number;
}

export interface SimTrainRun {
  spans: RunSpan[];
  /** Epoch ms when the campaign's last result was recorded. */
  doneAt: number;
}

const PREFIX = 'bench';
const NAME = 'overhead';
const DEVICES_PER_HOST = 8;

/**
 * Real processes: one `scheduler serve` with its default intervals, `worker --devices 0,…,7`
 * processes (8 devices each), and `scheduler enqueue … -- node sim-train --epochs 1
 * --duration-ms D`. Run spans are the trial records' runStartedAt..runEndedAt (the worker's
 * clock: from taking the job to posting the result).
 */
export async function runSimTrainCluster(options: SimTrainRunOptions): Promise<SimTrainRun> {
  const cluster = await Cluster.create({ redisUrl: options.redisEnv.REDIS_URL ?? '', prefix: PREFIX, env: { ...options.redisEnv, HYPEREVOLVE_LOG_LEVEL: 'warn' } });
  try {
    cluster.serve(['--tick-ms', '250', '--reconcile-ms', '3000', '--export-interval-ms', '250']);
    for (let first = 0; first < options.workers; first += DEVICES_PER_HOST) {
      const devices = Array.from({ length: Math.min(DEVICES_PER_HOST, options.workers - first) }, (_, i) => first + i);
      cluster.worker(['--devices', devices.join(',')]);
    }
    await waitFor(async () => (await options.redis.zcard(globalKeys(PREFIX).workers)) >= options.workers, { timeoutMs: 60_000, what: `${options.workers} workers to register` });
    await cluster.enqueue(['--name', NAME, '--generations', String(options.trials), '--seed', '1'], ['--epochs', '1', '--duration-ms', String(options.trialMs)]);
    const keys = campaignKeys(PREFIX, NAME);
    await waitFor(async () => (await options.redis.hget(keys.state, 'status')) === 'done', {
      timeoutMs: 60_000 + options.trials * options.trialMs * 4,
      intervalMs: 100,
      what: `${options.trials} sim-train trials to be recorded`,
    });
    const doneAt = Number(await options.redis.hget(keys.state, 'finishedAt'));
    const trials = new TrialStore(options.redis, PREFIX);
    const spans: RunSpan[] = [];
    for (let index = 0; index < options.trials; index++) {
      const trial = await trials.readTrial(NAME, index);
      if (trial?.status === 'succeeded' && trial.worker !== undefined) spans.push({ worker: trial.worker, start: trial.startedAt ?? Number.NaN, end: trial.runEndedAt ?? Number.NaN });
    }
    return { spans, doneAt };
  } finally {
    await cluster.stop();
    await rm(cluster.dir, { recursive: true, force: true });
  }
}
