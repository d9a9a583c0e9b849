/**
 * Bounds on what a trainer writes while it runs (its per-epoch file), set far above what any
 * real trainer writes: a YOLOv5 or Ultralytics row is a few hundred bytes, a run trains hundreds
 * of epochs, a trainer reports tens of metrics. Past a bound the worker skips the line, or stops
 * following the file, with one warning per run; the run itself is judged by its exit and its
 * results as always, and nothing past a bound reaches Redis. docs/trainers.md#limits says them.
 */
export const TRAINER_LIMITS = {
  /** A line of the per-epoch file longer than this is skipped (its bytes are not kept). */
  lineBytes: 8 * 1024,
  /** Epochs done that one run may report: a later epoch stops the following. */
  epochsPerRun: 10_000,
  /** Metrics of one epoch: a line with more is skipped. */
  metricsPerEpoch: 64,
  /** What the worker reads of the per-epoch file per look (every 0.5 s), whatever its size. */
  readBytesPerPoll: 1024 * 1024,
  /** A run's curve entries in Redis, in bytes of JSON: past it, no more epochs are recorded. */
  curveBytesPerRun: 8 * 1024 * 1024,
  /** Warnings a trial keeps (its `warnings` field: one per kind of limit per run, over all its runs). */
  warningsPerTrial: 8,
  /** Characters of one warning on the trial: a longer one is cut (it names a path the trainer may have made long). */
  warningChars: 240,
} as const;

/** The same bounds as numbers (tests pass smaller ones). */
export type TrainerLimits = { readonly [K in keyof typeof TRAINER_LIMITS]: number };
