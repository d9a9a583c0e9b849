import { z } from 'zod';
import { describeZodError } from '../describe-zod-error.js';
import { GaInputError } from '../ga-input-error.js';
import { pyRound } from '../ga/round.js';
import { metricRecord, metricValues, type Hyp, type MetricRecord } from '../metrics.js';
import type { EvolveRow } from './evolve-row.js';
import { assertHypName } from './hyp-name.js';
import { PyInt, pyJsonDumps, type PyJson } from './py-json.js';

/** Decimals Ultralytics' Tuner keeps of a fitness (and its trainer of each metric). */
const DECIMALS = 5;

/** One succeeded trial as a line of Ultralytics' `tune_results.ndjson`. */
export interface TuneResult {
  /** 1-based, as the Tuner counts its iterations: the trial's row in evolve.csv + 1. */
  readonly iteration: number;
  readonly fitness: number;
  /** In the campaign's hyp order. */
  readonly hyp: Hyp;
  /** Hyps written as ints (Ultralytics' integer settings, e.g. close_mosaic). */
  readonly integerHyps: readonly string[];
  /** The name the Tuner files the run under: its data file's stem (commandDataName). */
  readonly dataset: string;
  readonly metricNames: readonly string[];
  readonly metrics: MetricRecord;
  /** The run's directory, when known (imported rows have none). */
  readonly saveDir?: string | undefined;
}

/**
 * One `tune_results.ndjson` line (with its `\n`) as Ultralytics 8.4's Tuner writes it:
 * `{"iteration", "fitness", "hyperparameters", "datasets": {<data>: {metrics…, "fitness"}},
 * "save_dirs": {<data>: dir}}`, json.dumps spacing, numbers rounded to 5 decimals like the
 * Tuner's, integer hyps as ints. A row with no fitness is written as the Tuner writes a failed
 * run: fitness 0.0, its data set under `failed_datasets`.
 */
export function tuneResultsLine(result: TuneResult): string {
  // A row without a fitness (imported with nan metrics) reads as the Tuner's failed runs do.
  const failed = !Number.isFinite(result.fitness);
  const fitness = failed ? 0 : pyRound(result.fitness, DECIMALS);
  const hyperparameters: Record<string, PyJson> = {};
  for (const [name, value] of Object.entries(result.hyp)) {
    assertHypName(name, 'tune_results.ndjson');
    hyperparameters[name] = result.integerHyps.includes(name) && Number.isInteger(value) ? new PyInt(value) : value;
  }
  const metrics: Record<string, PyJson> = {};
  if (!failed) {
    metricValues(result.metrics, result.metricNames).forEach((value, i) => {
      metrics[result.metricNames[i] ?? ''] = pyRound(value, DECIMALS);
    });
  }
  metrics.fitness = fitness;
  const line: Record<string, PyJson> = {
    iteration: new PyInt(result.iteration),
    fitness,
    hyperparameters,
    datasets: { [result.dataset]: metrics },
  };
  if (result.saveDir !== undefined && result.saveDir !== '') line.save_dirs = { [result.dataset]: result.saveDir };
  if (failed) line.failed_datasets = [result.dataset];
  return `${pyJsonDumps(line)}\n`;
}

const finiteNumber = z.number().refine(Number.isFinite, { message: 'must be a finite number' });

const TuneRecordSchema = z.looseObject({
  iteration: z.number().int().optional(),
  fitness: z.number().nullable().optional(),
  hyperparameters: z.record(z.string(), finiteNumber),
  datasets: z.record(z.string(), z.record(z.string(), z.number().nullable()).nullable()).optional(),
  failed_datasets: z.array(z.string()).optional(),
});

/**
 * Reads an Ultralytics Tuner's `tune_results.ndjson` (or ours) as rows to seed a population:
 * hyps from `hyperparameters` (every line must have the first line's names), metrics by
 * `metricNames` from `datasets` (the mean over the data sets of a multi-data tune). A line
 * with a failed data set, or without metrics, gets NaN metrics: kept as a row, never a parent.
 */
export function parseTuneResults(text: string, metricNames: readonly string[], source = 'tune_results.ndjson'): { hypNames: string[]; rows: EvolveRow[] } {
  let hypNames: string[] | undefined;
  const rows: EvolveRow[] = [];
  const nothing = metricRecord(metricNames, []);
  text.replace(/^\uFEFF/, '').split('\n').forEach((raw, i) => {
    const line = i + 1;
    if (raw.trim() === '') return;
    let json: unknown;
    try {
      // Python writes NaN and Infinity bare; JSON.parse knows neither.
      json = JSON.parse(raw.replace(/-?\b(?:Infinity|NaN)\b/g, 'null'));
    } catch (error) {
      throw new GaInputError(`${source}: line ${line} is not JSON (${error instanceof Error ? error.message : String(error)}); expected one tuning result per line`, { where: `${source}:${line}`, cause: error });
    }
    const parsed = TuneRecordSchema.safeParse(json);
    if (!parsed.success) {
      throw new GaInputError(`${source}: line ${line}: ${describeZodError(parsed.error)}; expected {"iteration", "fitness", "hyperparameters": {name: number}, "datasets": {…}}`, { where: `${source}:${line}` });
    }
    const record = parsed.data;
    const names = Object.keys(record.hyperparameters);
    if (hypNames === undefined) {
      for (const name of names) assertHypName(name, `${source}: line ${line}`);
      hypNames = names;
    } else if (names.length !== hypNames.length || names.some((name) => !hypNames?.includes(name))) {
      throw new GaInputError(`${source}: line ${line} has the hyps ${names.join(', ')}, but line 1 has ${hypNames.join(', ')}; every line must tune the same hyps`, { where: `${source}:${line}` });
    }
    rows.push({ hyp: { ...record.hyperparameters }, metrics: meanMetrics(record, metricNames) ?? nothing });
  });
  if (hypNames === undefined) throw new GaInputError(`${source}: no tuning results in it; expected one JSON object per line`, { where: source });
  return { hypNames, rows };
}

function meanMetrics(record: z.infer<typeof TuneRecordSchema>, metricNames: readonly string[]): MetricRecord | null {
  const datasets = Object.entries(record.datasets ?? {});
  const failed = record.failed_datasets ?? [];
  if (datasets.length === 0 || datasets.some(([name, metrics]) => metrics === null || failed.includes(name))) return null;
  const values = metricNames.map((metric) => {
    const each = datasets.map(([, metrics]) => metrics?.[metric] ?? Number.NaN);
    return each.reduce((sum, value) => sum + value, 0) / each.length;
  });
  return metricRecord(metricNames, values);
}
