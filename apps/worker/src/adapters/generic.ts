import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { describeZodError } from '@hyperevolve/contract';
import { METRIC_NAMES, type Metrics } from '@hyperevolve/ga-core';
import { deviceLabel } from '../device-selection.js';
import { TrialFailure } from '../trial-failure.js';
import type { RunContext, RunMetrics, TrainerAdapter, TrainerCommand } from './trainer-adapter.js';

/**
 * Any training program. The worker runs the campaign's command as it is (nothing appended)
 * and tells the program where things are through its environment:
 *
 * | variable                     | value                                              |
 * |------------------------------|----------------------------------------------------|
 * | `HYPEREVOLVE_HYP_FILE`       | the trial's hyp.yaml (a flat YAML map name → number) |
 * | `HYPEREVOLVE_DEVICE`         | `0`, `1`, … (physical GPU index) or `cpu`          |
 * | `HYPEREVOLVE_TRIAL_DIR`      | a directory of this run's own, for any output      |
 * | `HYPEREVOLVE_METRICS_FILE`   | `<trial dir>/metrics.json`: write the result here  |
 * | `HYPEREVOLVE_CAMPAIGN`       | campaign name                                      |
 * | `HYPEREVOLVE_TRIAL_INDEX`    | trial index (0-based)                              |
 *
 * Before exiting 0 the program writes `metrics.json` in one of two shapes:
 *
 * ```json
 * { "metrics/precision": 0.71, "metrics/recall": 0.62, "metrics/mAP_0.5": 0.68,
 *   "metrics/mAP_0.5:0.95": 0.45, "val/box_loss": 0.031, "val/obj_loss": 0.02, "val/cls_loss": "nan" }
 * ```
 * all 7 YOLOv5 evolve metrics, each a number, `null` or `"nan"` (the campaign's fitness weights
 * apply; a nan in the first four fails the run as metrics-nan), optionally with `"fitness"`; or
 *
 * ```json
 * { "fitness": 0.53 }
 * ```
 * a fitness the program computed itself (higher is better). Anything else fails the run as
 * results-garbled; no file fails it as results-missing.
 */
export const genericAdapter: TrainerAdapter = {
  name: 'generic',

  command(context: RunContext): TrainerCommand {
    return {
      argv: [...context.job.command],
      env: {
        HYPEREVOLVE_HYP_FILE: context.hypPath,
        HYPEREVOLVE_DEVICE: deviceLabel(context.device),
        HYPEREVOLVE_TRIAL_DIR: context.trialDir,
        HYPEREVOLVE_METRICS_FILE: metricsPath(context),
        HYPEREVOLVE_CAMPAIGN: context.job.campaign,
        HYPEREVOLVE_TRIAL_INDEX: String(context.job.index),
      },
    };
  },

  async readMetrics(context: RunContext): Promise<RunMetrics> {
    const path = metricsPath(context);
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (error) {
      if (error instanceof Error && 'code' in error && error.code === 'ENOENT') {
        throw new TrialFailure('results-missing', `the trainer exited 0 but wrote no ${path}; a generic trainer must write its metrics to $HYPEREVOLVE_METRICS_FILE`, { cause: error });
      }
      throw error;
    }
    return { ...parseGenericMetrics(text, path), source: path };
  },
};

function metricsPath(context: RunContext): string {
  return join(context.trialDir, 'metrics.json');
}

const metricValue = z
  .union([z.number(), z.null(), z.literal('nan'), z.literal('NaN')])
  .transform((value) => (typeof value === 'number' ? value : Number.NaN));
const fitnessValue = z.number().refine(Number.isFinite, { message: 'must be a finite number' });

const MetricsShape = z.object({
  ...Object.fromEntries(METRIC_NAMES.map((name) => [name, metricValue])),
  fitness: fitnessValue.optional(),
}) as unknown as z.ZodType<Record<(typeof METRIC_NAMES)[number], number> & { fitness?: number }>;

const FitnessShape = z.object({ fitness: fitnessValue });

const shapes = `expected either all 7 metrics (${METRIC_NAMES.map((name) => `"${name}"`).join(', ')}; numbers, null or "nan") or {"fitness": <number>}`;

/** Parses metrics.json (see the module comment); throws TrialFailure results-garbled naming the field. */
export function parseGenericMetrics(text: string, source: string): Omit<RunMetrics, 'source'> {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new TrialFailure('results-garbled', `${source} is not JSON (${error instanceof Error ? error.message : String(error)})`, { cause: error });
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new TrialFailure('results-garbled', `${source} must hold a JSON object; ${shapes}`);
  }
  if (METRIC_NAMES.some((name) => name in raw)) {
    const parsed = MetricsShape.safeParse(raw);
    if (!parsed.success) throw new TrialFailure('results-garbled', `${source}: ${describeZodError(parsed.error)}; ${shapes}`);
    const metrics = METRIC_NAMES.map((name) => parsed.data[name]) as unknown as Metrics;
    return { metrics, fitness: parsed.data.fitness ?? null };
  }
  const parsed = FitnessShape.safeParse(raw);
  if (!parsed.success) throw new TrialFailure('results-garbled', `${source}: ${describeZodError(parsed.error)}; ${shapes}`);
  return { metrics: null, fitness: parsed.data.fitness };
}

