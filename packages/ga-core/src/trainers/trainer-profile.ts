import type { FitnessWeights } from '../ga/fitness.js';
import type { PluginParamDoc } from '../plugin-params.js';
import type { SearchSpace } from '../ga/space.js';
import type { Hyp, MetricRecord } from '../metrics.js';
import type { StrategyName } from '../strategies/registry.js';
import type { EpochLog, RunPlace } from './epoch-log.js';

/**
 * One run of a trial as a profile sees it when it builds the command line. Every path is
 * absolute; the trial directory exists and holds hyp.yaml.
 */
export interface RunSpec extends RunPlace {
  readonly campaign: string;
  readonly index: number;
  /** `0`, `1`, … (a physical GPU index) or `cpu`. */
  readonly device: string;
  /** `<trialDir>/hyp.yaml`: the trial's hyps, spelled so PyYAML reads them back exactly. */
  readonly hypPath: string;
  /** The profile's {@link TrainerProfile.resultsPath} of this run: where the worker reads its results once it exits 0. */
  readonly resultsPath: string;
  /** The profile's {@link TrainerProfile.epochLog} path of this run: the file the worker follows while it trains. */
  readonly epochLogPath: string;
  /** The campaign keeps trials light (YOLOv5: `--noval --nosave`, as its own evolve does). */
  readonly fastTrials: boolean;
  /**
   * False: the campaign keeps no plots (`--keep-artifacts best|none`), so a profile whose trainer
   * can skip plotting tells it to (YOLOv5 `--noplots`, Ultralytics `plots=False`); the command's
   * own setting wins. A generic program is told nothing. Absent: plots as the trainer does them.
   */
  readonly plots?: boolean;
  /** The trial's hyps, as hyp.yaml holds them (a profile that passes them as arguments spells them itself). */
  readonly hyp: Hyp;
}

/** A campaign as `enqueue` is about to create it: what {@link TrainerProfile.review} checks. */
export interface CampaignPlan {
  readonly command: readonly string[];
  readonly baseHyp: Hyp;
  /** With the profile's {@link TrainerProfile.integerHyps} already marked. */
  readonly space: SearchSpace;
  readonly fastTrials: boolean;
  /** `--prune` is on: trials are compared by their fitness after each rung's epoch, so those epochs must be validated. */
  readonly prunes?: boolean;
}

/** The trainer's argv (no shell) and the variables added to its environment. */
export interface TrainerCommand {
  argv: string[];
  env: Record<string, string>;
}

/** What a finished run measured. */
export interface MeasuredRun {
  /** By the profile's metric names, NaN where the trainer wrote nan; null when it reported a fitness only. */
  readonly metrics: MetricRecord | null;
  /** A fitness the program computed itself (higher is better); null: the scheduler computes it from the metrics. */
  readonly fitness: number | null;
}

/**
 * A results file that cannot give a fitness: unreadable (`results-garbled`) or readable with a
 * nan where a number must be (`metrics-nan`, a diverged run). The kinds are the trial failure
 * kinds the worker reports.
 */
export class ResultsError extends Error {
  override readonly name = 'ResultsError';
  readonly kind: 'results-garbled' | 'metrics-nan';

  constructor(kind: 'results-garbled' | 'metrics-nan', message: string, options?: { cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.kind = kind;
  }
}

/**
 * A training command a profile recognises as its trainer's (detect-trainer.ts asks every
 * registered profile and takes the strongest `match`, the registry's order breaking ties).
 */
export interface Recognition {
  /** What in the command gave it away, for the enqueue note and the refusal: `the command runs train.py (YOLOv5's)`. */
  readonly because: string;
  /**
   * How strong, strongest first: `own`, the trainer's own entry point or signature (`yolo`,
   * `python -m yolov5.train`); `shared`, a script name other trainers use too (`train.py`), so
   * another profile's `own` wins; `family`, a command of this trainer that a sibling profile
   * reads better (`yolo segment train` for the detect profile): never detected over the sibling,
   * never refused as `--adapter`; `any`, a profile that runs any program (generic): the fallback.
   */
  readonly match: 'own' | 'shared' | 'family' | 'any';
}

/**
 * Files a campaign's users find in its export directory, kept up to date from Redis: YOLOv5's
 * three, and the two Ultralytics' Tuner leaves (its results table and best hyps).
 */
export type ExportFile = 'evolve.csv' | 'hyp_evolve.yaml' | 'evolve.png' | 'best_hyperparameters.yaml' | 'tune_results.ndjson';

/**
 * Everything a kind of trainer implies, in one place: what it measures and how that becomes a
 * fitness, what a campaign evolves when the user gives no files, how a trial's hyps reach it,
 * where its results are and how to read them, and what its users expect back.
 *
 * Pure, like the rest of ga-core: the worker follows the {@link epochLog}'s file and hands each
 * line to its reader, reads the {@link resultsPath}'s file and hands the text to
 * {@link parseResults}; the scheduler writes the {@link exports}. Adding a trainer is a new file
 * with one of these, a line in `registry.ts`, and its test (docs/trainer-profiles.md).
 */
export interface TrainerProfile {
  /** The `--adapter` value and the campaign setting. */
  readonly name: string;
  /** One line for `--help`. */
  readonly summary: string;
  /**
   * The trainer's metric columns, in the order exports write them (evolve.csv's first columns,
   * hyp_evolve.yaml's header). Metrics travel and rest as a record keyed by these names.
   */
  readonly metricNames: readonly string[];
  /** The metrics `--fitness-weights` weigh, in order; a run with nan in one of them failed. */
  readonly fitnessMetrics: readonly string[];
  /** Weights over {@link fitnessMetrics} when the campaign gives none. */
  readonly defaultFitnessWeights: FitnessWeights;
  /** The base hyps when the campaign gives no `--hyp`. */
  readonly defaultHyp: Hyp;
  /** The search space when the campaign gives no `--space`. */
  readonly defaultSpace: SearchSpace;
  /** How its campaigns breed when `--parent` names no strategy: the GA its users run today. */
  readonly defaultStrategy: StrategyName;
  /**
   * Whether the training command runs this trainer (null: not its), so `--adapter` may be left
   * out and a contradicting one refused. Pure and cheap: it reads the words only.
   */
  recognises(command: readonly string[]): Recognition | null;
  /** How its hyps reach the trainer, in a few words, for that refusal: `--hyp FILE`, `key=value words`. */
  readonly hypsAs: string;
  /** Where the run leaves its results (read once it exits 0, handed to {@link parseResults}). */
  resultsPath(run: RunPlace): string;
  /**
   * The file the run appends a line per finished epoch to while it trains, and its reader: the
   * worker follows it for progress, the curve and the rungs (YOLOv5 and Ultralytics: their
   * results.csv; the generic contract: the progress file it names in the environment).
   */
  readonly epochLog: EpochLog;
  /** The epochs a run of the campaign's command trains, when the command says; undefined when it does not. */
  epochCount(command: readonly string[]): number | undefined;
  /** Follows "the trainer exited 0 but wrote no <resultsPath>; " when that file is missing. */
  readonly missingResultsHint: string;
  /** The files its users expect in the campaign's export directory. */
  readonly exports: readonly ExportFile[];
  /** Of {@link exports}, the best hyps in the file this trainer reads back: what `scheduler best` prints. */
  readonly bestFile: 'hyp_evolve.yaml' | 'best_hyperparameters.yaml';
  /**
   * Its runs may report a fitness of their own, which the metrics cannot give back: evolve.csv
   * ends with a `fitness` column and hyp_evolve.yaml's header with the best's fitness, so
   * `--seed-from` and `preview --population` read every trial's fitness back.
   */
  readonly fitnessColumn: boolean;
  /**
   * Hyps the trainer takes only as whole numbers: the campaign's genes for them are marked
   * `integer` (withIntegerHyps), so every candidate holds a whole number there.
   */
  readonly integerHyps: readonly string[];
  /**
   * Checks a campaign against what the trainer accepts before it is created: throws GaInputError
   * naming the conflict and its fix (a trial would fail on it); returns notes the user should
   * read at enqueue (what the profile adds to each trial and why).
   */
  review(plan: CampaignPlan): string[];
  /**
   * How the trial's hyps and paths reach the trainer: arguments appended (a `--hyp` file the
   * worker wrote, `key=value` words, `--cfg-options k=v …`), variables set. The worker runs
   * exactly this argv with this environment added.
   */
  command(run: RunSpec): TrainerCommand;
  /** Reads the results file's text; throws {@link ResultsError} naming the line or field. */
  parseResults(text: string, source: string): MeasuredRun;
  /** Its params (`--adapter-param K=V`), with what each takes and its default; absent: it takes none. */
  readonly params?: readonly PluginParamDoc[];
  /**
   * This profile as a campaign's params set it (unknown names refused, defaults filled): its run
   * parts (command, resultsPath, epochLog, review) may differ, what it measures and exports may
   * not. GaInputError naming the param (`where`) and listing every param it takes. Absent: it
   * takes no params (registry.ts's configureTrainer refuses any).
   */
  configure?(params: Readonly<Record<string, unknown>>): TrainerProfile;
}

/** The whole number after `--<flag>` (`--epochs 10` or `--epochs=10`) in an argv; undefined without one. */
export function wholeFlagValue(command: readonly string[], flag: string): number | undefined {
  let found: number | undefined;
  command.forEach((token, i) => {
    const text = token === `--${flag}` ? command[i + 1] : token.startsWith(`--${flag}=`) ? token.slice(flag.length + 3) : undefined;
    if (text !== undefined && /^\d+$/.test(text)) found = Number(text);
  });
  return found;
}

/** A command word's file name: `/src/yolov5/train.py` → `train.py`. */
export function baseName(word: string): string {
  return word.slice(word.lastIndexOf('/') + 1);
}
