import { rm } from 'node:fs/promises';
import { withBenchRedis } from '../harness/bench-redis.js';
import type { BenchContext, ScenarioResult, Target } from '../harness/scenario.js';
import { busyFigures, runExcessMs } from '../support/busy-figures.js';
import { InProcessCluster } from '../support/in-process-cluster.js';
import { runSimTrainCluster } from '../support/sim-train-cluster.js';
import { benchDir } from '../harness/bench-dir.js';

const TRIAL_MS = 100;

const IN_PROCESS_TARGETS: Target[] = [
  { metric: 'busy_fraction', op: '>=', bound: 0.98 },
  { metric: 'overhead_ms_per_trial', op: '<=', bound: 2 },
];
const OVERHEAD_TARGET: Target[] = [{ metric: 'overhead_ms_per_trial', op: '<=', bound: 2 }];

const IN_PROCESS_NOTE =
  'overhead in-process: real SchedulerService (top-up, breeder, recorder, reconciler, exporter) and real device workers ' +
  '(BullMQ Worker, TrialProcessor, start-trial, ResultPoster, heartbeats; 8 devices per connection) in this process; ' +
  'only the trainer is stubbed: instead of a child process it reads hyp.yaml, writes metrics.json and sleeps D ms. ' +
  'A warm-up campaign (3·W trials) runs first: the services are long-lived, their start-up is not per-trial overhead. ' +
  'Σ trial time = N·D, wall = first trial start to last result recorded; gap = one run\'s end to the next start on the same worker; ' +
  'cpu_ms_per_trial = CPU of scheduler, workers and redis-server per trial.';
const SIM_TRAIN_NOTE =
  'overhead sim-train: real `scheduler serve` and `worker --devices 0,…,7` processes; each trial is a real ' +
  '`sim-train --epochs 1 --duration-ms D` child process, so the node start of every trainer counts as overhead ' +
  '(trainer_excess_ms: a run\'s start-to-end beyond D as the worker saw it); times come from the trial records.';

export async function overhead(context: BenchContext): Promise<ScenarioResult[]> {
  const results: ScenarioResult[] = [];
  const perWorker = context.quick ? 5 : 20;
  for (const workers of context.quick ? [8] : [8, 64]) {
    context.progress(`overhead: in-process, W=${workers}, ${perWorker * workers} trials of ${TRIAL_MS} ms`);
    results.push(await inProcess(context, workers, perWorker * workers));
  }
  for (const workers of context.quick ? [4] : [8, 64]) {
    const trials = (context.quick ? 4 : perWorker) * workers;
    context.progress(`overhead: sim-train processes, W=${workers}, ${trials} trials of ${TRIAL_MS} ms`);
    results.push(await simTrain(context, workers, trials));
  }
  return results;
}

async function inProcess(context: BenchContext, workers: number, trials: number): Promise<ScenarioResult> {
  const dir = await benchDir();
  try {
    return await withBenchRedis(context.cluster, async (redis) => {
      const cluster = await InProcessCluster.start({ redis: redis.target, prefix: 'bench', workers, trialMs: TRIAL_MS, dir });
      try {
        await cluster.warmUp();
        const run = await cluster.run('overhead', trials, 120_000 + trials * TRIAL_MS * 2);
        return {
          name: 'overhead',
          params: { mode: 'in-process', workers, trial_ms: TRIAL_MS, trials },
          metrics: {
            ...busyFigures(run.spans, workers, TRIAL_MS, run.doneAt),
            trainer_excess_ms: runExcessMs(run.spans, TRIAL_MS),
            cpu_ms_per_trial: (run.cpuMs.scheduler + run.cpuMs.workers + run.cpuMs.redis) / trials,
          },
          targets: workers === 8 ? IN_PROCESS_TARGETS : OVERHEAD_TARGET,
          notes: [IN_PROCESS_NOTE],
        };
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
