import type { SearchSpace } from '../ga/space.js';
import type { Hyp } from '../metrics.js';

/**
 * Facts about the pinned Ultralytics release (see .ci/trainers-requirements.txt), read from its
 * installed source; docs/trainers.md explains each. `test/ultralytics-facts.test.ts` compares
 * them with the installed package, so a new pin that changes one fails there.
 */
export const ULTRALYTICS_VERSION = '8.4.190';

/**
 * Every number under the "Hyperparameters" heading of Ultralytics' `cfg/default.yaml`, in its
 * order. Loss gains of other tasks (pose, kobj, rle, angle, dlog, dgrad, dlam, dis) and `nbs`
 * are here too: `yolo train` accepts them for any task and ignores what its task does not use.
 */
export const ULTRALYTICS_DEFAULT_HYP: Hyp = Object.freeze({
  lr0: 0.01,
  lrf: 0.01,
  momentum: 0.937,
  weight_decay: 0.0005,
  warmup_epochs: 3.0,
  warmup_momentum: 0.8,
  warmup_bias_lr: 0.1,
  dis: 6.0,
  box: 7.5,
  cls: 0.5,
  cls_pw: 0.0,
  dfl: 1.5,
  pose: 12.0,
  kobj: 1.0,
  rle: 1.0,
  angle: 1.0,
  dlog: 1.0,
  dgrad: 0.5,
  dlam: 1.0,
  nbs: 64,
  hsv_h: 0.015,
  hsv_s: 0.7,
  hsv_v: 0.4,
  degrees: 0.0,
  translate: 0.1,
  scale: 0.5,
  shear: 0.0,
  perspective: 0.0,
  flipud: 0.0,
  fliplr: 0.5,
  bgr: 0.0,
  mosaic: 1.0,
  mixup: 0.0,
  cutmix: 0.0,
  copy_paste: 0.0,
  erasing: 0.4,
});

function gene(lower: number, upper: number, gain = 1): { gain: number; lower: number; upper: number } {
  return Object.freeze({ gain, lower, upper });
}

/**
 * The Tuner's default search space (`engine/tuner.py`, `Tuner.__init__`), in its order, as
 * (min, max) with the optional third value as `gain` (1 when absent; only momentum has 0.3).
 * The Tuner scales each gene's mutation step by its gain, as YOLOv5's gain does.
 */
export const ULTRALYTICS_TUNER_SPACE: SearchSpace = Object.freeze({
  lr0: gene(1e-5, 1e-2),
  lrf: gene(0.01, 1.0),
  momentum: gene(0.7, 0.98, 0.3),
  weight_decay: gene(0.0, 0.001),
  warmup_epochs: gene(0.0, 5.0),
  warmup_momentum: gene(0.0, 0.95),
  box: gene(1.0, 20.0),
  cls: gene(0.1, 4.0),
  cls_pw: gene(0.0, 1.0),
  dfl: gene(0.4, 12.0),
  hsv_h: gene(0.0, 0.1),
  hsv_s: gene(0.0, 0.9),
  hsv_v: gene(0.0, 0.9),
  degrees: gene(0.0, 45.0),
  translate: gene(0.0, 0.9),
  scale: gene(0.0, 0.95),
  shear: gene(0.0, 10.0),
  perspective: gene(0.0, 0.001),
  flipud: gene(0.0, 1.0),
  fliplr: gene(0.0, 1.0),
  bgr: gene(0.0, 1.0),
  mosaic: gene(0.0, 1.0),
  mixup: gene(0.0, 1.0),
  cutmix: gene(0.0, 1.0),
  copy_paste: gene(0.0, 1.0),
  close_mosaic: gene(0.0, 10.0),
});

/**
 * What the Tuner trains first: the default of each key of its space, in space order.
 * `close_mosaic` (10) is a train setting in default.yaml, not under "Hyperparameters".
 */
export const ULTRALYTICS_TUNER_BASE_HYP: Hyp = Object.freeze(
  Object.fromEntries(
    Object.keys(ULTRALYTICS_TUNER_SPACE).map((name) => [name, name === 'close_mosaic' ? 10 : ULTRALYTICS_DEFAULT_HYP[name]]),
  ) as Record<string, number>,
);

/**
 * Hyps that Ultralytics types as integers (its `CFG_INT_KEYS`): `yolo train close_mosaic=3.7`
 * is a TypeError, `close_mosaic=4` or `4.0` is accepted. The Tuner rounds them to integers.
 */
export const ULTRALYTICS_INTEGER_HYPS: readonly string[] = Object.freeze(['close_mosaic', 'nbs']);

/**
 * Hyps that Ultralytics requires in [0, 1] (its `CFG_FRACTION_KEYS`): a value outside is a
 * ValueError before training starts.
 */
export const ULTRALYTICS_FRACTION_HYPS: readonly string[] = Object.freeze([
  'lr0', 'lrf', 'cls_pw', 'momentum', 'weight_decay', 'warmup_momentum', 'warmup_bias_lr',
  'hsv_h', 'hsv_s', 'hsv_v', 'translate', 'perspective', 'flipud', 'fliplr', 'bgr', 'mosaic',
  'mixup', 'cutmix', 'copy_paste', 'erasing',
]);

/** The metric columns each task's validator logs to results.csv, in order. */
export const ULTRALYTICS_METRIC_COLUMNS = Object.freeze({
  detect: Object.freeze(['metrics/precision(B)', 'metrics/recall(B)', 'metrics/mAP50(B)', 'metrics/mAP50-95(B)']),
  segment: Object.freeze([
    'metrics/precision(B)', 'metrics/recall(B)', 'metrics/mAP50(B)', 'metrics/mAP50-95(B)',
    'metrics/precision(M)', 'metrics/recall(M)', 'metrics/mAP50(M)', 'metrics/mAP50-95(M)',
  ]),
  pose: Object.freeze([
    'metrics/precision(B)', 'metrics/recall(B)', 'metrics/mAP50(B)', 'metrics/mAP50-95(B)',
    'metrics/precision(P)', 'metrics/recall(P)', 'metrics/mAP50(P)', 'metrics/mAP50-95(P)',
  ]),
});

/**
 * The task's own fitness (`DetMetrics.fitness` and subclasses) as weights over
 * {@link ULTRALYTICS_METRIC_COLUMNS}: `Metric.fitness` weighs [P, R, mAP50, mAP50-95] by
 * [0, 0, 0, 1] (mAP50-95 alone, NaN counted as 0); segment and pose add the box part's.
 */
export const ULTRALYTICS_FITNESS_WEIGHTS = Object.freeze({
  detect: Object.freeze([0, 0, 0, 1]),
  segment: Object.freeze([0, 0, 0, 1, 0, 0, 0, 1]),
  pose: Object.freeze([0, 0, 0, 1, 0, 0, 0, 1]),
});
