import { GaInputError } from '../ga-input-error.js';
import { YOLOV5_DETECTION_SPACE } from '../ga/space.js';
import { NanMetricError, parseResultsCsv } from '../formats/results-csv.js';
import { YOLOV5_DEFAULT_HYP } from '../yolov5-default-hyp.js';
import { ResultsError, type MeasuredRun, type TrainerCommand, type TrainerProfile, type RunSpec } from './trainer-profile.js';

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
 * YOLOv5's train.py (v7.0): `<command> --hyp <trialDir>/hyp.yaml --device <i|cpu> --project
 * <workdir>/<campaign> --name <runName> --exist-ok [--noval --nosave]`; metrics are the last
 * epoch of `<project>/<name>/results.csv`. The run name is unique per run, so `--exist-ok`
 * never appends to an older run's results.csv. Fitness: YOLOv5's weights [0, 0, 0.1, 0.9] over
 * precision, recall, mAP@0.5 and mAP@0.5:0.95.
 */
export const yolov5Profile: TrainerProfile = Object.freeze({
  name: 'yolov5',
  summary: "YOLOv5's train.py: --hyp <file> --device --project --name appended; results.csv read",
  metricNames: YOLOV5_METRIC_NAMES,
  fitnessMetrics: YOLOV5_METRIC_NAMES.slice(0, 4),
  defaultFitnessWeights: Object.freeze([0, 0, 0.1, 0.9]),
  defaultHyp: YOLOV5_DEFAULT_HYP,
  defaultSpace: YOLOV5_DETECTION_SPACE,
  resultsFile: 'results.csv',
  missingResultsHint: "is the command YOLOv5's train.py (adapter yolov5)? see train.log",
  exports: Object.freeze(['evolve.csv', 'hyp_evolve.yaml', 'evolve.png'] as const),
  fitnessColumn: false,

  command(run: RunSpec): TrainerCommand {
    const argv = [
      ...run.command,
      '--hyp', run.hypPath,
      '--device', run.device,
      '--project', run.projectDir,
      '--name', run.runName,
      '--exist-ok',
    ];
    if (run.fastTrials) argv.push('--noval', '--nosave');
    // YOLOv5 sets CUDA_VISIBLE_DEVICES itself from --device; it must see the physical index.
    return { argv, env: { YOLOv5_AUTOINSTALL: 'false' } };
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
