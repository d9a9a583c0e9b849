import { z } from 'zod';
import { describeZodError } from '../describe-zod-error.js';
import { metricRecord } from '../metrics.js';
import { GaInputError } from '../ga-input-error.js';
import { parsePluginParams, type PluginParamDoc } from '../plugin-params.js';
import { RUN_FILE_WILDCARD, inTrialDir, runFileSegments } from './epoch-log.js';
import { PROGRESS_FILE_ENV, PROGRESS_FILE_NAME, progressFileEpochs } from './progress-file.js';
import { ResultsError, type MeasuredRun, type TrainerCommand, type TrainerProfile, type RunSpec } from './trainer-profile.js';
import { yolov5Profile } from './yolov5.js';


/** A run file's path relative to the trial directory, as inTrialDir takes it. */
const runFileParam = z.string().transform((path, ctx) => {
  try {
    runFileSegments(path);
    return path;
  } catch (error) {
    ctx.addIssue({ code: 'custom', message: error instanceof GaInputError ? error.message : String(error) });
    return z.NEVER;
  }
});

const RELATIVE = "in the run's directory, * for a name given at run time";
const PARAMS: readonly PluginParamDoc[] = [
  { name: 'metrics', takes: `the result file, ${RELATIVE}`, default: 'metrics.json' },
  { name: 'progress', takes: `the per-epoch log, ${RELATIVE}`, default: PROGRESS_FILE_NAME },
];
const ParamsSchema = z.strictObject({ metrics: runFileParam.default('metrics.json'), progress: runFileParam.default(PROGRESS_FILE_NAME) });

/**
 * Any training program. The worker runs the campaign's command as it is (nothing appended)
 * and tells the program where things are through its environment:
 *
 * | variable                     | value                                              |
 * |------------------------------|----------------------------------------------------|
 * | `HYPEREVOLVE_HYP_FILE`       | the trial's hyp.yaml (a flat YAML map name → number) |
 * | `HYPEREVOLVE_DEVICE`         | `0`, `1`, … (physical GPU index) or `cpu`          |
 * | `HYPEREVOLVE_TRIAL_DIR`      | a directory of this run's own, for any output      |
 * | `HYPEREVOLVE_METRICS_FILE`   | `<trial dir>/metrics.json` (param `metrics`): write the result here |
 * | `HYPEREVOLVE_CAMPAIGN`       | campaign name                                      |
 * | `HYPEREVOLVE_TRIAL_INDEX`    | trial index (0-based)                              |
 * | `HYPEREVOLVE_PROGRESS_FILE`  | `<trial dir>/progress.jsonl` (param `progress`): append a JSON line per epoch (progress-file.ts) |
 *
 * The two files may be elsewhere in the trial directory (params `metrics` and `progress`); a
 * path with `*` is found by the worker, and its variable is not set.
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
 *
 * The metric names, fitness weights, base hyps, search space and exports are YOLOv5's, so a
 * program that speaks YOLOv5's metrics gets YOLOv5's files, with one column more: evolve.csv
 * ends with each trial's `fitness` (after the hyps, where YOLOv5's own readers, which take the
 * hyps by position, do not look), because a fitness the program reported itself is in no metric.
 */
export const genericProfile: TrainerProfile = genericWith({ metrics: 'metrics.json', progress: PROGRESS_FILE_NAME });

/**
 * The generic profile with its files where `files` says, relative to the trial directory
 * (`--adapter-param metrics=out/metrics.json`): a program that writes them there by itself, a
 * wrapped framework under a folder it names at run time (`progress=*\/progress.jsonl`). A path
 * with `*` is not named in the environment (no one file is meant); the others are.
 */
function genericWith(files: { readonly metrics: string; readonly progress: string }): TrainerProfile {
  const named = (variable: string, path: string): Record<string, string> => (path.includes(RUN_FILE_WILDCARD) ? {} : { [variable]: path });
  return Object.freeze({
    name: 'generic',
    summary: 'any program: HYPEREVOLVE_HYP_FILE and friends in its environment; it writes $HYPEREVOLVE_METRICS_FILE',
    metricNames: yolov5Profile.metricNames,
    fitnessMetrics: yolov5Profile.fitnessMetrics,
    defaultFitnessWeights: yolov5Profile.defaultFitnessWeights,
    defaultHyp: yolov5Profile.defaultHyp,
    defaultSpace: yolov5Profile.defaultSpace,
    defaultStrategy: yolov5Profile.defaultStrategy,
    // Runs any program: the fallback when no other profile recognises the command, never refused.
    recognises: () => ({ match: 'any' as const, because: 'no other trainer profile recognises the command' }),
    hypsAs: 'a YAML file named in HYPEREVOLVE_HYP_FILE',
    epochLog: { path: inTrialDir(files.progress), reader: progressFileEpochs },
    // Its progress lines may say (`epochs`); the command is the program's own business.
    epochCount: () => undefined,
    resultsPath: inTrialDir(files.metrics),
    missingResultsHint: 'a generic trainer must write its metrics to $HYPEREVOLVE_METRICS_FILE (or where --adapter-param metrics= says)',
    exports: yolov5Profile.exports,
    bestFile: yolov5Profile.bestFile,
    fitnessColumn: true,
    integerHyps: Object.freeze([]),
    params: PARAMS,

    configure(raw: Readonly<Record<string, unknown>>): TrainerProfile {
      return genericWith(parsePluginParams(ParamsSchema, raw, 'adapter generic', PARAMS));
    },

    command(run: RunSpec): TrainerCommand {
      return {
        argv: [...run.command],
        env: {
          HYPEREVOLVE_HYP_FILE: run.hypPath,
          HYPEREVOLVE_DEVICE: run.device,
          HYPEREVOLVE_TRIAL_DIR: run.trialDir,
          ...named('HYPEREVOLVE_METRICS_FILE', run.resultsPath),
          HYPEREVOLVE_CAMPAIGN: run.campaign,
          HYPEREVOLVE_TRIAL_INDEX: String(run.index),
          ...named(PROGRESS_FILE_ENV, run.epochLogPath),
        },
      };
    },

    parseResults: parseGenericMetrics,

    review(): string[] {
      return [];
    },
  });
}

const NAMES = yolov5Profile.metricNames;

const metricValue = z
  .union([z.number(), z.null(), z.literal('nan'), z.literal('NaN')])
  .transform((value) => (typeof value === 'number' ? value : Number.NaN));
const fitnessValue = z.number().refine(Number.isFinite, { message: 'must be a finite number' });

const MetricsShape = z.object({
  ...Object.fromEntries(NAMES.map((name) => [name, metricValue])),
  fitness: fitnessValue.optional(),
}) as unknown as z.ZodType<Record<string, number> & { fitness?: number }>;

const FitnessShape = z.object({ fitness: fitnessValue });

const shapes = `expected either all ${NAMES.length} metrics (${NAMES.map((name) => `"${name}"`).join(', ')}; numbers, null or "nan") or {"fitness": <number>}`;

/** Parses metrics.json (see {@link genericProfile}); throws ResultsError results-garbled naming the field. */
export function parseGenericMetrics(text: string, source: string): MeasuredRun {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new ResultsError('results-garbled', `${source} is not JSON (${error instanceof Error ? error.message : String(error)})`, { cause: error });
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new ResultsError('results-garbled', `${source} must hold a JSON object; ${shapes}`);
  }
  if (NAMES.some((name) => name in raw)) {
    const parsed = MetricsShape.safeParse(raw);
    if (!parsed.success) throw new ResultsError('results-garbled', `${source}: ${describeZodError(parsed.error)}; ${shapes}`);
    return { metrics: metricRecord(NAMES, NAMES.map((name) => parsed.data[name] ?? Number.NaN)), fitness: parsed.data.fitness ?? null };
  }
  const parsed = FitnessShape.safeParse(raw);
  if (!parsed.success) throw new ResultsError('results-garbled', `${source}: ${describeZodError(parsed.error)}; ${shapes}`);
  return { metrics: null, fitness: parsed.data.fitness };
}
