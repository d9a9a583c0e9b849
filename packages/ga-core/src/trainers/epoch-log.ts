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

/** A path function for a file of the given name directly in the run's trial directory. */
export function inTrialDir(name: string): (run: RunPlace) => string {
  return (run) => `${run.trialDir}/${name}`;
}
