import { z } from 'zod';
import { MetricNameSchema } from '../metrics.js';
import type { EpochLineReader } from './epoch-log.js';

/**
 * The progress file: how any trainer reports each epoch while it runs, the generic profile's
 * per-epoch log. The profile names the file in the trainer's environment; the trainer appends one JSON object per line, one line per
 * finished epoch, and never rewrites a line:
 *
 * ```
 * {"epoch": 0, "epochs": 10, "metrics": {"metrics/mAP_0.5": 0.12, "metrics/mAP_0.5:0.95": 0.05}}
 * {"epoch": 1, "epochs": 10, "fitness": 0.093}
 * {"epoch": 2}
 * ```
 *
 * - `epoch`: the epoch just finished, counted from 0 like the `epoch` column of YOLOv5's and
 *   Ultralytics' results.csv. Rungs count epochs done, so this line reaches rung `epoch + 1`.
 * - `epochs`: the run's epoch count, when the trainer knows it (status shows e/E with it).
 * - `metrics`: by the trainer's column names; a number, or `null`/`"nan"` for a value it could
 *   not compute.
 * - `fitness`: a fitness it computed itself (higher is better); otherwise the campaign's
 *   fitness weights apply to `metrics`.
 * - Neither: the epoch finished without validation (it still counts as progress).
 *
 * YOLOv5 and Ultralytics need no progress file: the worker follows their results.csv.
 */
export const PROGRESS_FILE_ENV = 'HYPEREVOLVE_PROGRESS_FILE';

/** The progress file's name inside the run's trial directory. */
export const PROGRESS_FILE_NAME = 'progress.jsonl';

const metricValue = z
  .union([z.number(), z.null(), z.literal('nan'), z.literal('NaN')])
  .transform((value) => (typeof value === 'number' && Number.isFinite(value) ? value : null));

export const ProgressLineSchema = z.object({
  epoch: z.number().int().min(0),
  epochs: z.number().int().min(1).optional(),
  metrics: z.record(MetricNameSchema, metricValue).optional(),
  fitness: z.number().refine(Number.isFinite, { message: 'must be a finite number' }).optional(),
});
export type ProgressLine = z.output<typeof ProgressLineSchema>;

/** One line of a progress file, as a trainer writes it (nan allowed, see {@link ProgressLineSchema}). */
export type ProgressLineInput = z.input<typeof ProgressLineSchema>;

/** The text of one progress line (no newline): JSON, with non-finite metrics as `"nan"`. */
export function formatProgressLine(line: ProgressLineInput): string {
  const metrics = line.metrics === undefined ? undefined : Object.fromEntries(Object.entries(line.metrics).map(([name, v]) => [name, typeof v === 'number' && !Number.isFinite(v) ? 'nan' : v]));
  return JSON.stringify({ ...line, ...(metrics === undefined ? {} : { metrics }) });
}

/**
 * Reads one line of a progress file; a line that is not JSON or not the shape above gives an
 * error naming what is wrong, for the worker to log and skip (a trainer's odd line never fails
 * its run).
 */
export function parseProgressLine(text: string): { ok: true; line: ProgressLine } | { ok: false; error: string } {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { ok: false, error: `not JSON: ${JSON.stringify(text.slice(0, 80))}; each line of $${PROGRESS_FILE_ENV} must be one JSON object like {"epoch": 0, "fitness": 0.1}` };
  }
  const parsed = ProgressLineSchema.safeParse(json);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((issue) => `${issue.path.join('.') || 'line'}: ${issue.message}`).join('; ');
    return { ok: false, error: `a progress line of the wrong shape (${issues}); expected {"epoch": <0-based epoch>, "epochs"?: n, "metrics"?: {name: number}, "fitness"?: number}` };
  }
  return { ok: true, line: parsed.data };
}

/** The progress file as a per-epoch log: each line an epoch (its 0-based `epoch` + 1 epochs done); blank lines skipped. */
export function progressFileEpochs(): EpochLineReader {
  return {
    reset() {},
    read(line) {
      if (line.trim() === '') return null;
      const parsed = parseProgressLine(line);
      if (!parsed.ok) return { problem: parsed.error };
      const { epoch, epochs, metrics, fitness } = parsed.line;
      return { epoch: epoch + 1, ...(epochs === undefined ? {} : { epochs }), ...(metrics === undefined ? {} : { metrics }), ...(fitness === undefined ? {} : { fitness }) };
    },
  };
}
