import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { z } from 'zod';
import { yolov5Profile } from '@hyperevolve/ga-core';
import { infoSum } from '../harness/redis-info.js';
import type { BenchRedis } from '../harness/bench-redis.js';
import type { RunSpan } from './busy-figures.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const PYTHON = join(ROOT, '.tools/bench-peers/bin/python');
const DRIVER = join(ROOT, 'bench/peers/optuna_journal_redis.py');

const OptunaRunSchema = z.object({
  optuna: z.string(),
  spans: z.array(z.object({ worker: z.string(), start: z.number(), end: z.number() })),
  done_at: z.number(),
  cpu_ms: z.number(),
});

/** tpe: Optuna's default sampler; random: its cheapest, so the storage's own cost shows. */
export type OptunaSampler = 'tpe' | 'random';

export interface PeerRun {
  readonly version: string;
  readonly spans: RunSpan[];
  readonly doneAt: number;
  readonly cpuMs: { workers: number; redis: number };
}

const NO_VENV = 'Optuna peer not run: no .tools/bench-peers venv (bash .ci/install-bench-peers.sh installs it from PyPI; without Python or PyPI the overhead figures are ours alone)';
const ON_CLUSTER = 'Optuna peer not run: its journal storage needs one Redis, not a Redis Cluster';

/** Why the Optuna peer cannot run here (no venv, a Redis Cluster), or null when it can. */
export function optunaUnavailable(redis: BenchRedis): string | null {
  if (!existsSync(PYTHON)) return NO_VENV;
  if (redis.env.REDIS_URL === undefined || redis.env.REDIS_URL === '') return ON_CLUSTER;
  return null;
}

/** The note printed under the table when the peer did not run. */
export function optunaMissingNote(): string {
  return existsSync(PYTHON) ? ON_CLUSTER : NO_VENV;
}

/**
 * Optuna's Redis journal storage with the same workers, trial time and a Redis like ours (see
 * bench/peers/optuna_journal_redis.py): W processes, N/W trials each, the default sampler over
 * the same search space (the YOLOv5 hyps that evolve).
 */
export async function runOptunaPeer(redis: BenchRedis, sampler: OptunaSampler, workers: number, trials: number, trialMs: number): Promise<PeerRun> {
  const dir = await mkdtemp(join(tmpdir(), 'hyperevolve-optuna-'));
  try {
    const space = Object.entries(yolov5Profile.defaultSpace)
      .filter(([, range]) => range.gain > 0)
      .map(([name, range]) => [name, range.lower, range.upper]);
    await writeFile(join(dir, 'space.json'), JSON.stringify(space));
    const redisCpu = async (): Promise<number> => ((await infoSum(redis.client, 'cpu', 'used_cpu_sys')) + (await infoSum(redis.client, 'cpu', 'used_cpu_user'))) * 1000;
    const before = await redisCpu();
    const { stdout } = await promisify(execFile)(
      PYTHON,
      [DRIVER, '--redis-url', redis.env.REDIS_URL ?? '', '--workers', String(workers), '--trials', String(trials), '--trial-ms', String(trialMs), '--space', join(dir, 'space.json'), '--sampler', sampler, '--study', `bench-${sampler}`],
      { maxBuffer: 64 * 1024 * 1024, timeout: 120_000 + trials * trialMs * 4 },
    );
    const redisMs = (await redisCpu()) - before;
    const run = OptunaRunSchema.parse(JSON.parse(stdout));
    return { version: run.optuna, spans: run.spans, doneAt: run.done_at, cpuMs: { workers: run.cpu_ms, redis: redisMs } };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
