import { GaInputError } from '../ga-input-error.js';

/**
 * Where a run lives, as its profile's file paths see it: each path a profile names is a pure
 * function of these (strings joined with `/`; the worker made `trialDir` before it asks).
 */
export interface RunPlace {
  /** The campaign's training command, as the user gave it after `--`. */
  readonly command: readonly string[];
  /** `<workdir>/<campaign>`: YOLOv5's --project. */
  readonly projectDir: string;
  /** Unique per run (`<index>-<attempt>`): the run directory's name, YOLOv5's --name. */
  readonly runName: string;
  /** `<projectDir>/<runName>`: hyp.yaml, command.txt, train.log and the trainer's own output. */
  readonly trialDir: string;
}

/** An epoch the trainer finished, as its per-epoch log reports it. */
export interface EpochReading {
  /** Epochs done: 1 after the first, whatever the trainer's own count starts at. */
  readonly epoch: number;
  /** The run's epoch count, when its log says. */
  readonly epochs?: number;
  /** By the trainer's metric names, null where it wrote nan; absent when the epoch was not validated. */
  readonly metrics?: Record<string, number | null>;
  /** A fitness the trainer computed itself (higher is better). */
  readonly fitness?: number;
}

/** What one line of a per-epoch log says: an epoch, nothing (a header, a blank line), or a problem to log. */
export type EpochLine = EpochReading | null | { readonly problem: string };

/**
 * Reads the complete lines of one run's per-epoch log, in order; keeps what it needs between
 * lines (a CSV's header). What the trainer writes is untrusted: a reader never throws on a line,
 * it names what is odd as a problem (the worker logs it and skips the line). The worker hands it
 * each line at most TRAINER_LIMITS.lineBytes long and bounds the epochs and metrics it keeps.
 */
export interface EpochLineReader {
  read(line: string): EpochLine;
  /** The file was rewritten from its start: forget what earlier lines said. */
  reset(): void;
}

/**
 * A trainer's per-epoch log: the file it appends one line per finished epoch to while it runs
 * (the worker follows it: progress, the curve, rungs), and how its lines read. Pure: the worker
 * does the I/O.
 */
export interface EpochLog {
  path(run: RunPlace): string;
  /** A fresh reader for one run's log. */
  reader(): EpochLineReader;
}

/** What stands for any name in a run file's path: `*`, or part of a name (`*.log.json`). */
export const RUN_FILE_WILDCARD = '*';

/**
 * Checks a run file's path relative to its trial directory: `/`-separated names, none empty,
 * `.` or `..`, and at most one of them with a {@link RUN_FILE_WILDCARD} (a folder or file the
 * trainer names only when it runs, like mmengine's `<timestamp>/vis_data/scalars.json`; the
 * worker takes the newest match, inside the trial directory, following no link). Returns the
 * names; GaInputError naming what is wrong.
 */
export function runFileSegments(relative: string): string[] {
  const segments = relative.split('/');
  const bad = segments.find((segment) => segment === '' || segment === '.' || segment === '..' || segment.includes('\0'));
  if (bad !== undefined) {
    throw new GaInputError(`${JSON.stringify(relative)} must be a path inside the run's directory: names joined by /, none empty, "." or ".." (e.g. metrics.json, out/*/metrics.json)`, { where: relative });
  }
  if (segments.filter((segment) => segment.includes(RUN_FILE_WILDCARD)).length > 1) {
    throw new GaInputError(`${JSON.stringify(relative)} has ${RUN_FILE_WILDCARD} in more than one name; one name may hold it (e.g. */vis_data/scalars.json)`, { where: relative });
  }
  return segments;
}

/**
 * A path function for a file in the run's trial directory: `relative` as {@link runFileSegments}
 * allows (`results.csv`, `*\/vis_data/scalars.json`), checked once, here.
 */
export function inTrialDir(relative: string): (run: RunPlace) => string {
  runFileSegments(relative);
  return (run) => `${run.trialDir}/${relative}`;
}
