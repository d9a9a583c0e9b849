import { GaInputError } from '../ga-input-error.js';
import { NanMetricError, parseResultsCsv } from '../formats/results-csv.js';
import { pyYamlFloat } from '../formats/py-yaml-float.js';
import type { FitnessWeights } from '../ga/fitness.js';
import { inTrialDir } from './epoch-log.js';
import { resultsCsvEpochs } from './results-csv-epochs.js';
import { ResultsError, baseName, type CampaignPlan, type MeasuredRun, type Recognition, type RunSpec, type TrainerCommand, type TrainerProfile } from './trainer-profile.js';
import {
  ULTRALYTICS_FITNESS_WEIGHTS,
  ULTRALYTICS_FRACTION_HYPS,
  ULTRALYTICS_INTEGER_HYPS,
  ULTRALYTICS_METRIC_COLUMNS,
  ULTRALYTICS_TUNER_BASE_HYP,
  ULTRALYTICS_TUNER_SPACE,
} from './ultralytics-defaults.js';
import { commandMode, commandSettings, commandTask, isYoloEntryPoint, type UltralyticsTask } from './ultralytics-command.js';

/**
 * The optimizer a trial trains with when the command names none. Ultralytics' default,
 * `optimizer=auto`, ignores lr0, momentum and warmup_bias_lr (it picks its own), so evolving
 * them would change nothing; AdamW is what Ultralytics' own Tuner (`model.tune()`) trains
 * every iteration with, so a campaign compares like with like and can resume one of its tunes.
 */
export const ULTRALYTICS_DEFAULT_OPTIMIZER = 'AdamW';

/**
 * What the campaign sets on every trial besides its hyps and the run's own place, and a
 * retrain must set too to train as the trials did: the optimizer (the command's, else
 * {@link ULTRALYTICS_DEFAULT_OPTIMIZER}). Pairs of `yolo` setting and value.
 */
export function ultralyticsTrialSettings(command: readonly string[]): [string, string][] {
  return [['optimizer', commandSettings(command).get('optimizer') ?? ULTRALYTICS_DEFAULT_OPTIMIZER]];
}

/**
 * The command that retrains with a best_hyperparameters.yaml at `cfgPath`: the campaign's
 * command with `cfg=` before its settings (older `yolo` releases drop the settings given
 * before a cfg=), less those each trial set for its own run (device=, project=, …).
 */
export function ultralyticsRetrainCommand(command: readonly string[], cfgPath: string): string[] {
  const isSetting = (word: string, i: number): boolean => i > 0 && !word.startsWith('-') && word.indexOf('=') > 0;
  const words = command.filter((word, i) => !isSetting(word, i));
  const settings = command.filter((word, i) => isSetting(word, i) && !RUN_SETTINGS.includes(word.slice(0, word.indexOf('=')).trim()));
  return [...words, `cfg=${cfgPath}`, ...settings];
}

/** Hyps that `optimizer=auto` overrides (`BaseTrainer.build_optimizer`). */
const IGNORED_UNDER_AUTO = ['lr0', 'momentum', 'warmup_bias_lr'];

/** Settings each trial sets itself: a command naming one would be overridden, so it is refused. */
const RUN_SETTINGS = ['device', 'project', 'name', 'exist_ok'];

/** Fast trials, as YOLOv5's `--noval --nosave` (and its evolve's no plots); a command's own value wins. */
const FAST_TRIAL_SETTINGS = [['val', 'False'], ['save', 'False'], ['plots', 'False']] as const;

/** YOLOv5 hyps Ultralytics has no argument for: a YOLOv5 hyp file given by mistake fails every trial. */
const YOLOV5_ONLY_HYPS = ['obj', 'obj_pw', 'iou_t', 'anchor_t', 'anchors', 'fl_gamma'];

interface UltralyticsVariant {
  name: string;
  summary: string;
  /** Tasks whose results.csv has this profile's columns. */
  tasks: readonly UltralyticsTask[];
  /** The task's validator metrics: what the fitness weighs. */
  metrics: readonly string[];
  weights: FitnessWeights;
  /** Val losses as YOLOv8/YOLO11 log them; other model families may log others, so each may be absent. */
  losses: readonly string[];
}

/** The profile that reads each task's results.csv; null: none does yet. */
const ULTRALYTICS_PROFILE_OF_TASK: Readonly<Record<UltralyticsTask, 'ultralytics' | 'ultralytics-segment' | 'ultralytics-pose' | null>> = {
  detect: 'ultralytics',
  obb: 'ultralytics',
  segment: 'ultralytics-segment',
  pose: 'ultralytics-pose',
  classify: null,
};

/** A hyp value as `yolo` reads a `key=value` word back into the same number (ast.literal_eval). */
function spellValue(name: string, value: number): string {
  return ULTRALYTICS_INTEGER_HYPS.includes(name) && Number.isInteger(value) ? String(value) : pyYamlFloat(value);
}

function makeUltralyticsProfile(variant: UltralyticsVariant): TrainerProfile {
  const metricNames = [...variant.metrics, ...variant.losses];
  return Object.freeze({
    name: variant.name,
    summary: variant.summary,
    metricNames,
    fitnessMetrics: variant.metrics,
    defaultFitnessWeights: variant.weights,
    defaultHyp: ULTRALYTICS_TUNER_BASE_HYP,
    defaultSpace: ULTRALYTICS_TUNER_SPACE,
    defaultStrategy: 'ultralytics',
    // Every `yolo` command is Ultralytics'; the profile of its task (detect's when it names none) owns it.
    recognises(command: readonly string[]): Recognition | null {
      if (!isYoloEntryPoint(command)) return null;
      const task = commandTask(command);
      const because = `the command runs Ultralytics' ${baseName(command[0] ?? 'yolo')}${task === null ? '' : ` (task ${task})`}`;
      return { match: ULTRALYTICS_PROFILE_OF_TASK[task ?? 'detect'] === variant.name ? 'own' : 'family', because };
    },
    hypsAs: 'key=value words',
    // Its trainer appends a row per epoch to results.csv, writing epoch + 1 in its epoch column.
    epochLog: { path: inTrialDir('results.csv'), reader: () => resultsCsvEpochs(metricNames, 1) },
    epochCount: (command: readonly string[]) => {
      const epochs = commandSettings(command).get('epochs');
      return epochs !== undefined && /^\d+$/.test(epochs) ? Number(epochs) : undefined;
    },
    resultsPath: inTrialDir('results.csv'),
    missingResultsHint: `is the command Ultralytics' \`yolo ${variant.tasks[0] ?? 'detect'} train\` (adapter ${variant.name})? see train.log`,
    exports: Object.freeze(['evolve.csv', 'hyp_evolve.yaml', 'evolve.png', 'best_hyperparameters.yaml', 'tune_results.ndjson'] as const),
    // `yolo train cfg=` reads it; hyp_evolve.yaml is YOLOv5's.
    bestFile: 'best_hyperparameters.yaml',
    fitnessColumn: false,
    integerHyps: ULTRALYTICS_INTEGER_HYPS,

    command(run: RunSpec): TrainerCommand {
      const own = commandSettings(run.command);
      const argv = [...run.command, ...Object.entries(run.hyp).map(([name, value]) => `${name}=${spellValue(name, value)}`)];
      for (const [key, value] of ultralyticsTrialSettings(run.command)) if (!own.has(key)) argv.push(`${key}=${value}`);
      argv.push(`device=${run.device}`, `project=${run.projectDir}`, `name=${run.runName}`, 'exist_ok=True');
      const added = [...(run.fastTrials ? FAST_TRIAL_SETTINGS : []), ...(run.plots === false && !run.fastTrials ? [['plots', 'False'] as const] : [])];
      for (const [key, value] of added) if (!own.has(key)) argv.push(`${key}=${value}`);
      // Ultralytics sets CUDA_VISIBLE_DEVICES itself from device=, like YOLOv5: it must see the physical index.
      return { argv, env: { YOLO_AUTOINSTALL: 'false' } };
    },

    parseResults(text: string, source: string): MeasuredRun {
      try {
        return { metrics: parseResultsCsv(text, metricNames, source, { optional: variant.losses }), fitness: null };
      } catch (error) {
        if (!(error instanceof GaInputError)) throw error;
        throw new ResultsError(error instanceof NanMetricError ? 'metrics-nan' : 'results-garbled', error.message, { cause: error });
      }
    },

    review(plan: CampaignPlan): string[] {
      return reviewUltralyticsCampaign(variant, plan);
    },
  });
}

function reviewUltralyticsCampaign(variant: UltralyticsVariant, plan: CampaignPlan): string[] {
  const { command, baseHyp, space } = plan;
  const settings = commandSettings(command);
  const problems: string[] = [];

  const task = commandTask(command);
  if (task !== null && !variant.tasks.includes(task)) {
    const other = ULTRALYTICS_PROFILE_OF_TASK[task];
    problems.push(
      other === null
        ? `the command trains a ${task} model, which no hyperevolve profile reads yet (its results.csv has other metrics)`
        : `the command trains a ${task} model; its results.csv has the metrics of --adapter ${other}, not ${variant.name}`,
    );
  }
  const mode = isYoloEntryPoint(command) ? commandMode(command) : null;
  if (mode !== null && mode !== 'train') problems.push(`the command's mode is ${mode}; a trial must train: \`yolo ${task ?? variant.tasks[0] ?? 'detect'} train …\``);
  for (const key of RUN_SETTINGS) {
    if (settings.has(key)) problems.push(`remove ${key}=${settings.get(key) ?? ''} from the command: each trial sets ${key}= itself`);
  }
  const inCommand = Object.keys(baseHyp).filter((name) => settings.has(name));
  if (inCommand.length > 0) {
    problems.push(`${inCommand.map((name) => `${name}=`).join(', ')} ${inCommand.length === 1 ? 'is a hyp' : 'are hyps'} the campaign sets on every trial: remove ${inCommand.length === 1 ? 'it' : 'them'} from the command (put a starting value in --hyp instead)`);
  }
  const yolov5Only = Object.keys(baseHyp).filter((name) => YOLOV5_ONLY_HYPS.includes(name));
  if (yolov5Only.length > 0) {
    problems.push(`hyps ${yolov5Only.join(', ')} are YOLOv5's and Ultralytics has no such argument (is --hyp a YOLOv5 hyp file?); leave --hyp out for Ultralytics' defaults`);
  }
  for (const name of ULTRALYTICS_FRACTION_HYPS) {
    const gene = Object.hasOwn(space, name) ? space[name] : undefined;
    if (gene !== undefined && (gene.lower < 0 || gene.upper > 1)) {
      problems.push(`hyp ${name}: Ultralytics requires it within [0, 1], but its search range is [${gene.lower}, ${gene.upper}]; narrow it`);
    } else if (gene === undefined && Object.hasOwn(baseHyp, name)) {
      const value = baseHyp[name] ?? Number.NaN;
      if (!(value >= 0 && value <= 1)) problems.push(`hyp ${name} = ${value}: Ultralytics requires it within [0, 1]`);
    }
  }
  for (const name of ULTRALYTICS_INTEGER_HYPS) {
    const value = Object.hasOwn(baseHyp, name) ? baseHyp[name] : undefined;
    if (value !== undefined && !Object.hasOwn(space, name) && !Number.isInteger(value)) {
      problems.push(`hyp ${name} = ${value}: Ultralytics takes it as a whole number only`);
    }
  }
  const ownVal = settings.get('val');
  if (plan.prunes === true && ownVal !== undefined && /^(false|0|no)$/i.test(ownVal)) {
    problems.push(`--prune compares trials by their fitness after the rung epochs, but the command has val=${ownVal}, which validates only the final epoch: remove it and add --full-trials, or leave --prune out`);
  } else if (plan.prunes === true && plan.fastTrials && ownVal === undefined) {
    problems.push('--prune compares trials by their fitness after the rung epochs, but fast trials add val=False, which validates only the final epoch: add --full-trials (or val=True to the command), or leave --prune out');
  }
  if (problems.length > 0) {
    throw new GaInputError(`the campaign cannot train with Ultralytics (adapter ${variant.name}):\n  - ${problems.join('\n  - ')}`, { where: 'command' });
  }

  const notes: string[] = [];
  const optimizer = settings.get('optimizer');
  if (optimizer === undefined) {
    notes.push(
      `each trial trains with optimizer=${ULTRALYTICS_DEFAULT_OPTIMIZER} (as Ultralytics' own Tuner does): the command names no optimizer, and Ultralytics' default optimizer=auto ignores lr0 and momentum. Add optimizer=SGD (or another) to the command to choose`,
    );
  } else if (optimizer.toLowerCase() === 'auto') {
    const wasted = IGNORED_UNDER_AUTO.filter((name) => (space[name]?.gain ?? 0) > 0);
    if (wasted.length > 0) notes.push(`optimizer=auto ignores ${wasted.join(', ')}: evolving ${wasted.length === 1 ? 'it' : 'them'} changes nothing; name an optimizer (optimizer=AdamW, SGD, …) instead`);
  }
  return notes;
}

const DETECT_LOSSES = ['val/box_loss', 'val/cls_loss', 'val/dfl_loss'];

/**
 * Ultralytics `yolo detect train` (YOLOv8, YOLO11; `yolo obb train` reads the same): the hyps as
 * `key=value` words, then `optimizer=AdamW` when the command names none, `device= project=
 * name= exist_ok=True`, for fast trials `val=False save=False plots=False`, and `plots=False` when
 * the campaign keeps no plots; metrics are
 * the last epoch of `<project>/<name>/results.csv`. Fitness, base hyps and space are the
 * pinned release's own (ultralytics-defaults.ts): mAP50-95 alone, the Tuner's 26 hyps at their
 * defaults, the Tuner's space.
 */
export const ultralyticsDetectProfile: TrainerProfile = makeUltralyticsProfile({
  name: 'ultralytics',
  summary: "Ultralytics' yolo detect train (YOLOv8/YOLO11, obb too): hyps as key=value, results.csv's (B) metrics",
  tasks: ['detect', 'obb'],
  metrics: ULTRALYTICS_METRIC_COLUMNS.detect,
  weights: ULTRALYTICS_FITNESS_WEIGHTS.detect,
  losses: DETECT_LOSSES,
});

/** `yolo segment train`: box (B) and mask (M) metrics; fitness is the sum of both mAP50-95s, as Ultralytics' own. */
export const ultralyticsSegmentProfile: TrainerProfile = makeUltralyticsProfile({
  name: 'ultralytics-segment',
  summary: "Ultralytics' yolo segment train: as ultralytics, with the mask (M) metrics",
  tasks: ['segment'],
  metrics: ULTRALYTICS_METRIC_COLUMNS.segment,
  weights: ULTRALYTICS_FITNESS_WEIGHTS.segment,
  losses: ['val/box_loss', 'val/seg_loss', 'val/cls_loss', 'val/dfl_loss', 'val/sem_loss'],
});

/** `yolo pose train`: box (B) and pose (P) metrics; fitness is the sum of both mAP50-95s, as Ultralytics' own. */
export const ultralyticsPoseProfile: TrainerProfile = makeUltralyticsProfile({
  name: 'ultralytics-pose',
  summary: "Ultralytics' yolo pose train: as ultralytics, with the keypoint (P) metrics",
  tasks: ['pose'],
  metrics: ULTRALYTICS_METRIC_COLUMNS.pose,
  weights: ULTRALYTICS_FITNESS_WEIGHTS.pose,
  losses: ['val/box_loss', 'val/pose_loss', 'val/kobj_loss', 'val/cls_loss', 'val/dfl_loss'],
});
