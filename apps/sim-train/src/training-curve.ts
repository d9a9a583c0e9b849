import { YOLOV5_METRIC_NAMES, type Hyp } from '@hyperevolve/ga-core';
import { qualityToMetrics } from './landscape.js';

/**
 * One epoch's results.csv row (YOLOv5's columns) for a run whose quality after this epoch is
 * `quality` (its learning curve, see learning-curve.ts): train losses fall as it rises; learning rates follow YOLOv5's linear schedule
 * (lr0 · ((1 − e/N)(1 − lrf) + lrf)), with the bias group warming down from warmup_bias_lr.
 * With `noval`, validation runs only after the last epoch: earlier rows have zero metrics.
 * `diverged` writes nan for the losses and the validated metrics, as a run whose loss blew up does.
 */
export function epochRow(input: {
  hyp: Hyp;
  /** The run's quality after this epoch. */
  quality: number;
  /** 0-based, as results.csv's epoch column. */
  epoch: number;
  epochs: number;
  noval: boolean;
  diverged: boolean;
}): Record<string, number> {
  const { hyp, quality, epoch, epochs, noval, diverged } = input;
  const last = epoch === epochs - 1;

  const lr0 = hyp.lr0 ?? 0.01;
  const lrf = hyp.lrf ?? 0.01;
  const lr = lr0 * ((1 - epoch / epochs) * (1 - lrf) + lrf);
  const warmup = hyp.warmup_epochs ?? 3;
  const biasLr = epoch < warmup ? (hyp.warmup_bias_lr ?? 0.1) + (lr - (hyp.warmup_bias_lr ?? 0.1)) * (epoch / warmup) : lr;

  const validated = noval && !last ? 'none' : diverged ? 'nan' : qualityToMetrics(quality);
  const metricOf = (name: string): number => (validated === 'none' ? 0 : validated === 'nan' ? NaN : (validated[name] ?? NaN));
  const loss = (floor: number, span: number): number => (diverged ? NaN : floor + span * (1 - quality));
  return {
    epoch,
    'train/box_loss': loss(0.03, 0.1),
    'train/obj_loss': loss(0.01, 0.02),
    'train/cls_loss': loss(0.005, 0.03),
    ...Object.fromEntries(YOLOV5_METRIC_NAMES.map((name) => [name, metricOf(name)])),
    'x/lr0': biasLr,
    'x/lr1': lr,
    'x/lr2': lr,
  };
}
