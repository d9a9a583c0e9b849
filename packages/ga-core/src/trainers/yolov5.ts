import { GaInputError } from '../ga-input-error.js';
import { YOLOV5_DETECTION_SPACE } from '../ga/space.js';
import { NanMetricError, parseResultsCsv } from '../formats/results-csv.js';
import { YOLOV5_DEFAULT_HYP } from '../yolov5-default-hyp.js';
import { inTrialDir } from './epoch-log.js';
import { resultsCsvEpochs } from './results-csv-epochs.js';
import { ResultsError, baseName, wholeFlagValue, type CampaignPlan, type MeasuredRun, type Recognition, type TrainerCommand, type TrainerProfile, type RunSpec } from './trainer-profile.js';

/** The 7 numbers YOLOv5's evolve records per trial, in evolve.csv's column order. */
export const YOLOV5_METRIC_NAMES = [
  'metrics/precision',
  'metrics/recall',
  'metrics/mAP_0.5',
  'metrics/mAP_0.5:0.95',
  'val/box_loss',
  'val/obj_loss',
  'val/cls_loss',
] as const;

/** The columns of a YOLOv5 v7.0 detection run's results.csv, in order. */
export const YOLOV5_RESULTS_COLUMNS = [
  'epoch',
  'train/box_loss',
  'train/obj_loss',
  'train/cls_loss',
  ...YOLOV5_METRIC_NAMES,
  'x/lr0',
  'x/lr1',
  'x/lr2',
] as const;

/**
 * The command runs the PyPI package `yolov5` (7.0.14): `python -m yolov5.train`, its `yolov5
 * train` console script, or its train.py from site-packages run as a script. A clone's
 * `python train.py` is not it.
 */
export function isPipYolov5(command: readonly string[]): boolean {
  if (baseName(command[0] ?? '') === 'yolov5' && command[1] === 'train') return true;
  return command.some((word, i) => (word === '-m' && command[i + 1] === 'yolov5.train') || /(?:site|dist)-packages\/yolov5\/train\.py$/.test(word));
}

/** Scripts that are YOLOv5's train: a clone's train.py (a name other trainers use too) and our stand-in sim-train. */
const TRAIN_SCRIPTS: ReadonlyMap<string, Recognition['match']> = new Map([['train.py', 'shared'], ['sim-train', 'own'], ['sim-train.js', 'own']]);

/** pip YOLOv5's train, or a word naming one of {@link TRAIN_SCRIPTS}, anywhere in the command (`torchrun … train.py`). */
function recogniseYolov5(command: readonly string[]): Recognition | null {
  if (isPipYolov5(command)) return { match: 'own', because: "the command runs pip YOLOv5's train" };
  const script = command.map(baseName).find((name) => TRAIN_SCRIPTS.has(name));
  return script === undefined ? null : { match: TRAIN_SCRIPTS.get(script) ?? 'shared', because: `the command runs ${script} (YOLOv5's)` };
}

/** `--epochs N` (or `--epochs=N`) of a train.py command; train.py's default is 100. */
function commandEpochs(command: readonly string[]): number {
  for (let i = command.length - 1; i >= 0; i--) {
    const word = command[i] ?? '';
    if (word === '--epochs') return Number(command[i + 1]);
    if (word.startsWith('--epochs=')) return Number(word.slice('--epochs='.length));
  }
  return 100;
}

/**
 * pip YOLOv5 7.0.14's train.py crashes after the first epoch under `--noval` when training
 * more than one (`map50s` is only set by a validation), and its batch plots call a Pillow API
 * that current Pillow lacks.
 */
function pipWorkarounds(command: readonly string[], fastTrials: boolean): { noval: boolean; noplots: boolean } {
  if (!isPipYolov5(command)) return { noval: fastTrials, noplots: false };
  return { noval: fastTrials && commandEpochs(command) === 1, noplots: !command.includes('--noplots') };
}

/**
 * YOLOv5's train.py (v7.0): `<command> --hyp <trialDir>/hyp.yaml --device <i|cpu> --project
 * <workdir>/<campaign> --name <runName> --exist-ok [--noval --nosave] [--noplots]`; metrics are the last
 * epoch of `<project>/<name>/results.csv`. The run name is unique per run, so `--exist-ok`
 * never appends to an older run's results.csv. Fitness: YOLOv5's weights [0, 0, 0.1, 0.9] over
 * precision, recall, mAP@0.5 and mAP@0.5:0.95.
 *
 * The PyPI package (`python -m yolov5.train`, `yolov5 train`; {@link isPipYolov5}) gets its
 * bugs worked around: `--noplots` always, and no `--noval` unless it trains one epoch.
 */
export const yolov5Profile: TrainerProfile = Object.freeze({
  name: 'yolov5',
  summary: "YOLOv5's train.py: --hyp <file> --device --project --name appended; results.csv read",
  metricNames: YOLOV5_METRIC_NAMES,
  fitnessMetrics: YOLOV5_METRIC_NAMES.slice(0, 4),
  defaultFitnessWeights: Object.freeze([0, 0, 0.1, 0.9]),
  defaultHyp: YOLOV5_DEFAULT_HYP,
  defaultSpace: YOLOV5_DETECTION_SPACE,
  defaultStrategy: 'single',
  recognises: recogniseYolov5,
  hypsAs: '--hyp FILE',
  // It appends a row per epoch to its results.csv, counting from 0.
  epochLog: { path: inTrialDir('results.csv'), reader: () => resultsCsvEpochs(YOLOV5_METRIC_NAMES, 0) },
  // train.py's argparse takes the last --epochs given.
  epochCount: (command: readonly string[]) => wholeFlagValue(command, 'epochs'),
  resultsPath: inTrialDir('results.csv'),
  missingResultsHint: "is the command YOLOv5's train.py (adapter yolov5)? see train.log",
  exports: Object.freeze(['evolve.csv', 'hyp_evolve.yaml', 'evolve.png'] as const),
  bestFile: 'hyp_evolve.yaml',
  fitnessColumn: false,
  integerHyps: Object.freeze([]),

  command(run: RunSpec): TrainerCommand {
    const argv = [
      ...run.command,
      '--hyp', run.hypPath,
      '--device', run.device,
      '--project', run.projectDir,
      '--name', run.runName,
      '--exist-ok',
    ];
    const pip = pipWorkarounds(run.command, run.fastTrials);
    if (pip.noval) argv.push('--noval');
    if (run.fastTrials) argv.push('--nosave');
    // pip YOLOv5 always needs it; a campaign that keeps no plots asks for it too.
    if (pip.noplots || (run.plots === false && !run.command.includes('--noplots'))) argv.push('--noplots');
    // YOLOv5 sets CUDA_VISIBLE_DEVICES itself from --device; it must see the physical index.
    // v7.0 loads checkpoints (its own last.pt at the end, --weights at the start) with
    // torch.load's defaults, which PyTorch >= 2.6 restricts to weights: those loads fail there.
    return { argv, env: { YOLOv5_AUTOINSTALL: 'false', TORCH_FORCE_NO_WEIGHTS_ONLY_LOAD: '1' } };
  },

  review(plan: CampaignPlan): string[] {
    const { noval } = pipWorkarounds(plan.command, plan.fastTrials);
    if (plan.prunes === true && (noval || plan.command.includes('--noval'))) {
      const source = plan.command.includes('--noval') ? 'the command has --noval' : 'fast trials add --noval';
      const fix = plan.command.includes('--noval') ? 'remove --noval from the command and add --full-trials' : 'add --full-trials (every epoch validated)';
      throw new GaInputError(
        `--prune compares trials by their fitness after the rung epochs, but ${source}, which validates only the last epoch: ${fix}, or leave --prune out`,
        { where: '--prune' },
      );
    }
    if (!isPipYolov5(plan.command)) return [];
    return [
      'pip YOLOv5 (7.0.14): each trial gets --noplots (its plots call a Pillow function current Pillow lacks)' +
        (plan.fastTrials && !noval ? `, and no --noval: with it, it crashes after the first of ${commandEpochs(plan.command)} epochs (so every epoch is validated)` : ''),
    ];
  },

  parseResults(text: string, source: string): MeasuredRun {
    try {
      return { metrics: parseResultsCsv(text, YOLOV5_METRIC_NAMES, source), fitness: null };
    } catch (error) {
      if (!(error instanceof GaInputError)) throw error;
      // A diverged run writes nan: metrics-nan, not a garbled file.
      throw new ResultsError(error instanceof NanMetricError ? 'metrics-nan' : 'results-garbled', error.message, { cause: error });
    }
  },
});
