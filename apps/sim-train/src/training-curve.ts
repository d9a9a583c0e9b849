import { YOLOV5_METRIC_NAMES, type Hyp } from '@hyperevolve/ga-core';
import { qualityToMetrics } from './landscape.js';

/**
 * One epoch's results.csv row (YOLOv5's columns) for a run that ends at quality `finalQuality`:
 * quality climbs to it along a saturating curve and reaches it exactly at the last epoch;
 * train losses fall with it; learning rates follow YOLOv5's linear schedule
 * (lr0 · ((1 − e/N)(1 − lrf) + lrf)), with the bias group warming down from warmup_bias_lr.
 * With `noval`, validation runs only after the last epoch: earlier rows have zero metrics.
 * `diverged` writes nan for the losses and the validated metrics, as a run whose loss blew up does.
 */
export function epochRow(input: {
  hyp: Hyp;
  finalQuality: number;
  epoch: number;
  epochs: number;
  noval: boolean;
  diverged: boolean;
}): Record<string, number> {
  const { hyp, finalQuality, epoch, epochs, noval, diverged } = input;
  const last = epoch === epochs - 1;
  const progress = (1 - Math.exp((-3 * (epoch + 1)) / epochs)) / (1 - Math.exp(-3));
  const quality = finalQuality * progress;

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
