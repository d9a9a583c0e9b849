import { readFile, writeFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseHypYaml } from '@hyperevolve/ga-core';
import { simulatedMetrics } from '@hyperevolve/sim-train';
import type { TrainerOutcome, TrainerRun } from '../../apps/worker/src/trainer-outcome.js';
import type { TrainerOptions } from '../../apps/worker/src/trainer-process.js';

/** One trainer run as the stub saw it, in epoch milliseconds ({@link epochMs}, comparable across processes). */
export interface TrainerSpan {
  readonly campaign: string;
  readonly worker: string;
  readonly start: number;
  readonly end: number;
}

/**
 * A trainer that runs inside the worker process: it reads the trial's hyp.yaml, writes the
 * generic adapter's metrics.json from sim-train's landscape (noise 0.01), and finishes `trialMs`
 * after it started (or as soon as the files are done, for 0 ms). Every run is recorded in `spans`.
 */
export function sleepingTrainer(trialMs: number, worker: string, spans: TrainerSpan[]): (options: TrainerOptions) => TrainerRun {
  return (options) => {
    const start = epochMs();
    let finish: (outcome: TrainerOutcome) => void = () => undefined;
    let timer: NodeJS.Timeout | undefined;
    let settled = false;
    const done = new Promise<TrainerOutcome>((resolve) => {
      finish = (outcome) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        if (outcome.kind === 'exited') spans.push({ campaign: options.env.HYPEREVOLVE_CAMPAIGN ?? '', worker, start, end: epochMs() });
        resolve(outcome);
      };
    });
    const written = writeMetrics(options.env);
    const slept = trialMs <= 0 ? Promise.resolve() : new Promise<void>((resolve) => { timer = setTimeout(resolve, trialMs); });
    Promise.all([written, slept]).then(
      () => finish({ kind: 'exited', exitCode: 0 }),
      (error: unknown) => {
        options.log.error({ err: error }, 'bench trainer could not write its metrics');
        finish({ kind: 'exited', exitCode: 1 });
      },
    );
    return {
      done,
      stop: (verdict) => finish(verdict),
    };
  };
}

/** Milliseconds since the epoch with sub-millisecond resolution. */
export function epochMs(): number {
  return performance.timeOrigin + performance.now();
}

async function writeMetrics(env: Record<string, string>): Promise<void> {
  const hypFile = env.HYPEREVOLVE_HYP_FILE;
  const metricsFile = env.HYPEREVOLVE_METRICS_FILE;
  const trialDir = env.HYPEREVOLVE_TRIAL_DIR;
  if (hypFile === undefined || metricsFile === undefined || trialDir === undefined) {
    throw new Error('the bench trainer needs the generic adapter\'s environment (HYPEREVOLVE_HYP_FILE, _METRICS_FILE, _TRIAL_DIR); create the campaign with adapter generic');
  }
  const hyp = parseHypYaml(await readFile(hypFile, 'utf8'), hypFile);
  const metrics = simulatedMetrics(hyp, { seed: 0, runName: basename(trialDir), sigma: 0.01 });
  await writeFile(metricsFile, JSON.stringify(metrics));
}
