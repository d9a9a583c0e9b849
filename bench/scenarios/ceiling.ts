import { rm } from 'node:fs/promises';
import { withBenchRedis } from '../harness/bench-redis.js';
import type { BenchContext, ScenarioResult } from '../harness/scenario.js';
import { busyFigures } from '../support/busy-figures.js';
import { InProcessCluster } from '../support/in-process-cluster.js';
import { benchDir } from '../harness/bench-dir.js';

const WORKERS = 32;

const NOTE =
  'ceiling: the in-process installation of the overhead scenario with W = 32 and a trainer that takes no time (it only ' +
  'reads hyp.yaml and writes metrics.json): trials bred, queued, run, recorded and best updated per second, ' +
  'from the first trial\'s start to the last result recorded. *_cpu_ms_per_trial: CPU time of the scheduler process, ' +
  'the worker processes and redis-server during the run, per trial: what a trial costs whatever the load.';

export async function ceiling(context: BenchContext): Promise<ScenarioResult[]> {
  const trials = context.quick ? 300 : 3000;
  context.progress(`ceiling: W=${WORKERS}, ${trials} zero-duration trials`);
  const dir = await benchDir();
  try {
    return await withBenchRedis(context.cluster, async (redis) => {
      const cluster = await InProcessCluster.start({ redis: redis.target, prefix: 'bench', workers: WORKERS, trialMs: 0, dir });
      try {
        await cluster.warmUp();
        const run = await cluster.run('ceiling', trials, 60_000 + trials * 50);
        const figures = busyFigures(run.spans, WORKERS, 0, run.doneAt);
        return [{
          name: 'ceiling',
          params: { mode: 'in-process', workers: WORKERS, trial_ms: 0, trials },
          metrics: {
            trials_per_s: figures.trials_per_s,
            dispatch_gap_p50_ms: figures.dispatch_gap_p50_ms,
            scheduler_cpu_ms_per_trial: run.cpuMs.scheduler / trials,
            workers_cpu_ms_per_trial: run.cpuMs.workers / trials,
            redis_cpu_ms_per_trial: run.cpuMs.redis / trials,
          },
          targets: [{ metric: 'trials_per_s', op: '>=', bound: 1000 }],
          notes: [NOTE],
        }];
      } finally {
        await cluster.stop();
      }
    });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
