/** The 7 numbers YOLOv5's evolve records per trial, in evolve.csv's column order. */
export const METRIC_NAMES = [
  'metrics/precision',
  'metrics/recall',
  'metrics/mAP_0.5',
  'metrics/mAP_0.5:0.95',
  'val/box_loss',
  'val/obj_loss',
  'val/cls_loss',
] as const;

export type MetricName = (typeof METRIC_NAMES)[number];

/** The 7 evolve metrics in {@link METRIC_NAMES} order. NaN marks a value YOLOv5 wrote as `nan`. */
export type Metrics = readonly [number, number, number, number, number, number, number];

/** A hyperparameter set: hyp name → value, in the order the names should be written. */
export type Hyp = Readonly<Record<string, number>>;
