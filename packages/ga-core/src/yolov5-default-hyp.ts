import type { Hyp } from './metrics.js';

/**
 * YOLOv5 v7.0's default base hyps (`data/hyps/hyp.scratch-low.yaml`), used when a campaign
 * gives no `--hyp`. `anchors` is absent on purpose, as in the shipped file: the GA adds
 * `anchors: 3` when the search space evolves it.
 */
export const YOLOV5_DEFAULT_HYP: Hyp = Object.freeze({
  lr0: 0.01,
  lrf: 0.01,
  momentum: 0.937,
  weight_decay: 0.0005,
  warmup_epochs: 3.0,
  warmup_momentum: 0.8,
  warmup_bias_lr: 0.1,
  box: 0.05,
  cls: 0.5,
  cls_pw: 1.0,
  obj: 1.0,
  obj_pw: 1.0,
  iou_t: 0.2,
  anchor_t: 4.0,
  fl_gamma: 0.0,
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
  mosaic: 1.0,
  mixup: 0.0,
  copy_paste: 0.0,
});
