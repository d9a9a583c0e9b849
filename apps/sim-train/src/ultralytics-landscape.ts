import { makeLandscape, type Landscape, type Term } from './landscape.js';

/**
 * A landscape over Ultralytics' Tuner space (its 26 hyps, defaults from the pinned release's
 * default.yaml), shaped as sim-train's YOLOv5 one: D² = 2 at the defaults, quality ≈ 0.27 there
 * and ≈ 0.76 at the optimum, which lies inside the Tuner's bounds. The optimum is away from the
 * defaults in 20 hyps, 4 of them hyps whose default is 0 (cls_pw, degrees, mixup, cutmix: where
 * multiplicative mutation can never go); the other 5 hyps at 0 (shear, perspective, flipud, bgr,
 * copy_paste) and fliplr peak at their default, so moving them only hurts. For benchmarks only:
 * no trainer reports from it.
 */
export const ULTRALYTICS_LANDSCAPE_TERMS: Readonly<Record<string, Term>> = Object.freeze({
  lr0: { default: 0.01, optimum: 0.002, width: 0.5, log: true },
  lrf: { default: 0.01, optimum: 0.1, width: 0.8, log: true },
  momentum: { default: 0.937, optimum: 0.9, width: 0.05 },
  weight_decay: { default: 0.0005, optimum: 0.0007, width: 0.0004 },
  warmup_epochs: { default: 3.0, optimum: 1.5, width: 1.5 },
  warmup_momentum: { default: 0.8, optimum: 0.7, width: 0.3 },
  box: { default: 7.5, optimum: 9.0, width: 0.3, log: true },
  cls: { default: 0.5, optimum: 0.9, width: 0.4, log: true },
  cls_pw: { default: 0.0, optimum: 0.2, width: 0.3 },
  dfl: { default: 1.5, optimum: 1.8, width: 0.3, log: true },
  hsv_h: { default: 0.015, optimum: 0.02, width: 0.015 },
  hsv_s: { default: 0.7, optimum: 0.55, width: 0.25 },
  hsv_v: { default: 0.4, optimum: 0.35, width: 0.2 },
  degrees: { default: 0.0, optimum: 3.0, width: 8.0 },
  translate: { default: 0.1, optimum: 0.15, width: 0.15 },
  scale: { default: 0.5, optimum: 0.65, width: 0.25 },
  shear: { default: 0.0, optimum: 0.0, width: 4.0 },
  perspective: { default: 0.0, optimum: 0.0, width: 0.0005 },
  flipud: { default: 0.0, optimum: 0.0, width: 0.3 },
  fliplr: { default: 0.5, optimum: 0.5, width: 0.3 },
  bgr: { default: 0.0, optimum: 0.0, width: 0.3 },
  mosaic: { default: 1.0, optimum: 0.9, width: 0.2 },
  mixup: { default: 0.0, optimum: 0.1, width: 0.2 },
  cutmix: { default: 0.0, optimum: 0.1, width: 0.2 },
  copy_paste: { default: 0.0, optimum: 0.0, width: 0.3 },
  close_mosaic: { default: 10, optimum: 5, width: 4 },
} satisfies Record<string, Term>);

export const ULTRALYTICS_LANDSCAPE: Landscape = makeLandscape(ULTRALYTICS_LANDSCAPE_TERMS);
