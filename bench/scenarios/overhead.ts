import { rm } from 'node:fs/promises';
import { withBenchRedis, type BenchRedis } from '../harness/bench-redis.js';
import { sum } from '../harness/stats.js';
import { optunaMissingNote, optunaUnavailable, runOptunaPeer } from '../support/optuna-peer.js';
import { INSIDE_SCRIPTS, RedisBreakdown } from '../support/redis-breakdown.js';
import type { BenchContext, ScenarioResult, Target } from '../harness/scenario.js';
import { busyFigures, runExcessMs } from '../support/busy-figures.js';
import { InProcessCluster } from '../support/in-process-cluster.js';
import { runSimTrainCluster } from '../support/sim-train-cluster.js';
import { benchDir } from '../harness/bench-dir.js';

const TRIAL_MS = 100;

/** Issue 24's floor for 8 workers × 100 ms trials. */
const IN_PROCESS_TARGETS: Target[] = [
  { metric: 'busy_fraction', op: '>=', bound: 0.96 },
  { metric: 'overhead_ms_per_trial', op: '<=', bound: 4 },
  { metric: 'dispatch_gap_p99_ms', op: '<=', bound: 10 },
  { metric: 'cpu_ms_per_trial', op: '<=', bound: 3 },
];
const OVERHEAD_TARGET: Target[] = [{ metric: 'overhead_ms_per_trial', op: '<=', bound: 4 }];

const IN_PROCESS_NOTE =
  'overhead in-process: real SchedulerService (top-up, breeder, recorder, completions reader, reconciler, exporter) in this process and real device workers ' +
  '(BullMQ Worker, TrialProcessor, start-trial, ResultReporter recording a succeeded run, heartbeats; 8 devices per connection and per child process); ' +
  'only the trainer is stubbed: instead of a child process of its own it reads hyp.yaml, writes metrics.json and sleeps D ms in its worker\'s process. ' +
  'A warm-up campaign (3·W trials) runs first: the services are long-lived, their start-up is not per-trial overhead. ' +
  'Σ trial time = N·D, wall = first trial start to last result recorded; gap = one run\'s end to the next start on the same worker; ' +
  'cpu_ms_per_trial = CPU of scheduler, workers and redis-server per trial.';
const BREAKDOWN_NOTE =
  'overhead-breakdown: the same installation runs a second campaign of N trials with every Redis command logged (SLOWLOG at 0 µs, ' +
  'which costs Redis a little, so its wall-clock figures are not reported): CPU per trial of each process, then Redis commands and ' +
  'Lua scripts (ours by file name, BullMQ\'s by script name) most Redis time first, calls and µs of Redis time per trial (redis_commands_per_trial: the calls clients made; the commands scripts ran are counted apart).';
const OPTUNA_NOTE =
  'overhead optuna-journal-redis: Optuna (pinned in bench/peers/requirements.txt, venv from .ci/install-bench-peers.sh) with ' +
  'JournalStorage(JournalRedisBackend) on a private redis-server like ours: W worker processes share one study, N/W trials each of ' +
  'the default sampler (TPE) and the cheapest (random) over the same evolving YOLOv5 hyps; a trial = sampling, sleep D, tell. Spans are the sleeps; wall is the ' +
  'first sleep to the last tell; cpu = the worker processes from their first trial on, plus redis-server. optuna/hyperevolve: the ratio of the two.';
const SIM_TRAIN_NOTE =
  'overhead sim-train: real `scheduler serve` and `worker --devices 0,…,7` processes; each trial is a real ' +
  '`sim-train --epochs 1 --duration-ms D` child process, so the node start of every trainer counts as overhead ' +
  '(trainer_excess_ms: a run\'s start-to-end beyond D as the worker saw it); times come from the trial records.';

export async function overhead(context: BenchContext): Promise<ScenarioResult[]> {
  const results: ScenarioResult[] = [];
  const perWorker = context.quick ? 5 : 20;
  for (const workers of context.quick ? [8] : [8, 64]) {
    context.progress(`overhead: in-process, W=${workers}, ${perWorker * workers} trials of ${TRIAL_MS} ms`);
    const ours = await inProcess(context, workers, perWorker * workers);
    results.push(...ours);
    if (workers === 8) results.push(...(await optunaBeside(context, ours[0], workers, perWorker * workers)));
  }
  for (const workers of context.quick ? [4] : [8, 64]) {
    const trials = (context.quick ? 4 : perWorker) * workers;
    context.progress(`overhead: sim-train processes, W=${workers}, ${trials} trials of ${TRIAL_MS} ms`);
    results.push(await simTrain(context, workers, trials));
  }
  return results;
}

async function inProcess(context: BenchContext, workers: number, trials: number): Promise<ScenarioResult[]> {
  const dir = await benchDir();
  try {
    return await withBenchRedis(context.cluster, async (redis) => {
      const cluster = await InProcessCluster.start({ redis: redis.target, prefix: 'bench', workers, trialMs: TRIAL_MS, dir });
      try {
        await cluster.warmUp();
        const run = await cluster.run('overhead', trials, 120_000 + trials * TRIAL_MS * 2);
        const breakdown = await breakdownRun(context, cluster, redis, workers, trials);
        return [{
          name: 'overhead',
          params: { mode: 'in-process', workers, trial_ms: TRIAL_MS, trials },
          metrics: {
            ...busyFigures(run.spans, workers, TRIAL_MS, run.doneAt),
            trainer_excess_ms: runExcessMs(run.spans, TRIAL_MS),
            cpu_ms_per_trial: (run.cpuMs.scheduler + run.cpuMs.workers + run.cpuMs.redis) / trials,
          },
          targets: workers === 8 ? IN_PROCESS_TARGETS : OVERHEAD_TARGET,
          notes: [IN_PROCESS_NOTE],
        }, breakdown];
      } finally {
        await cluster.stop();
      }
    });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function simTrain(context: BenchContext, workers: number, trials: number): Promise<ScenarioResult> {
  return withBenchRedis(context.cluster, async (redis) => {
    const run = await runSimTrainCluster({ redisEnv: redis.env, redis: redis.client, workers, trials, trialMs: TRIAL_MS });
    return {
      name: 'overhead',
      params: { mode: 'sim-train', workers, trial_ms: TRIAL_MS, trials },
      metrics: { ...busyFigures(run.spans, workers, TRIAL_MS, run.doneAt), trainer_excess_ms: runExcessMs(run.spans, TRIAL_MS) },
      targets: OVERHEAD_TARGET,
      notes: [SIM_TRAIN_NOTE],
    };
  });
}

/** Where a trial's time goes: CPU per process and Redis time per command and script, from a second run with every command logged. */
async function breakdownRun(context: BenchContext, cluster: InProcessCluster, redis: BenchRedis, workers: number, trials: number): Promise<ScenarioResult> {
  context.progress(`overhead: breakdown, W=${workers}, ${trials} trials with every Redis command logged`);
  const log = await RedisBreakdown.start(redis.client);
  const run = await cluster.run('overhead-breakdown', trials, 120_000 + trials * TRIAL_MS * 2);
  const logged = await log.read(context.breakdown.byClient);
  const commands = logged.filter((command) => command.label !== INSIDE_SCRIPTS);
  const inScripts = logged.find((command) => command.label === INSIDE_SCRIPTS)?.calls ?? 0;
  const metrics: Record<string, number> = {
    scheduler_cpu_ms_per_trial: run.cpuMs.scheduler / trials,
    workers_cpu_ms_per_trial: run.cpuMs.workers / trials,
    redis_cpu_ms_per_trial: run.cpuMs.redis / trials,
    redis_commands_per_trial: sum(commands.map((command) => command.calls)) / trials,
    redis_command_ms_per_trial: sum(commands.map((command) => command.micros)) / 1000 / trials,
    redis_commands_inside_scripts_per_trial: inScripts / trials,
  };
  for (const command of commands.slice(0, context.breakdown.rows)) {
    metrics[`${command.label} calls/trial`] = command.calls / trials;
    metrics[`${command.label} us/trial`] = command.micros / trials;
  }
  return { name: 'overhead-breakdown', params: { mode: 'in-process', workers, trial_ms: TRIAL_MS, trials }, metrics, notes: [BREAKDOWN_NOTE] };
}

/** Optuna's Redis journal storage with the same workers, trial time and trials, on a Redis of its own, with its default and its cheapest sampler, and the ratio of the overheads. */
async function optunaBeside(context: BenchContext, ours: ScenarioResult | undefined, workers: number, trials: number): Promise<ScenarioResult[]> {
  const results: ScenarioResult[] = [];
  for (const sampler of ['tpe', 'random'] as const) {
    const found = await withBenchRedis(context.cluster, async (redis) => {
      const unavailable = optunaUnavailable(redis);
      if (unavailable !== null) {
        context.progress(unavailable);
        return null;
      }
      context.progress(`overhead: Optuna JournalRedisStorage (${sampler} sampler) beside it, W=${workers}, ${trials} trials of ${TRIAL_MS} ms`);
      return runOptunaPeer(redis, sampler, workers, trials, TRIAL_MS);
    });
    if (found === null) return [{ name: 'overhead', params: { mode: 'optuna-journal-redis', workers }, metrics: {}, notes: [optunaMissingNote()] }];
    const figures = busyFigures(found.spans, workers, TRIAL_MS, found.doneAt);
    const cpu = (found.cpuMs.workers + found.cpuMs.redis) / trials;
    results.push({
      name: 'overhead',
      params: { mode: 'optuna-journal-redis', optuna: found.version, sampler, workers, trial_ms: TRIAL_MS, trials },
      metrics: { ...figures, cpu_ms_per_trial: cpu },
      notes: [OPTUNA_NOTE],
    });
    results.push({
      name: 'overhead',
      params: { mode: 'optuna/hyperevolve', sampler, workers, trial_ms: TRIAL_MS, trials },
      metrics: { overhead_ratio: figures.overhead_ms_per_trial / (ours?.metrics.overhead_ms_per_trial ?? Number.NaN), cpu_ratio: cpu / (ours?.metrics.cpu_ms_per_trial ?? Number.NaN) },
      targets: [{ metric: 'overhead_ratio', op: '>=', bound: 3 }],
    });
  }
  return results;
}
