/**
 * The simulated trainer's fitness landscape: a deterministic, smooth function of the hyps that
 * stands in for "train YOLOv5 and validate", so evolution can be tested and benchmarked in
 * milliseconds per trial.
 *
 * Shape:
 * - Each hyp in {@link LANDSCAPE_TERMS} has an optimum and a width. Its distance is
 *   (value − optimum) / width, or for learning-rate-like hyps (lr0, lrf, box, cls, obj) the
 *   same in decades: (log10 value − log10 optimum) / width, so 0.001 and 0.1 are equally far
 *   from 0.01. Values ≤ 0 of a log hyp count as 1e-6.
 * - D² = K · Σ distance², with K fixed so that D² = 2 at YOLOv5's hyp.scratch-low.yaml.
 * - quality q = Q_MIN + (Q_MAX − Q_MIN) / (1 + D²): smooth everywhere, heavy-tailed so far-off
 *   hyps still feel a slope, in [Q_MIN, Q_MAX] ⊂ [0, 1].
 * - Metrics follow from q (mAP@0.5:0.95 = q, mAP@0.5 = 1 − (1 − q)^1.8, precision and recall
 *   rise with q, validation losses fall), so YOLOv5's default fitness
 *   0.1·mAP@0.5 + 0.9·mAP@0.5:0.95 rises monotonically toward the optimum:
 *   ≈ 0.28 at hyp.scratch-low.yaml, ≈ 0.78 at the optimum.
 * - The optimum lies inside YOLOv5's default search-space bounds and away from the defaults in
 *   19 evolvable hyps; hyps the default space freezes (iou_t, fl_gamma, perspective, fliplr)
 *   and the shear/flipud/copy_paste augmentations have their optimum at the default, so moving
 *   them only hurts.
 * - Noise: a Gaussian of standard deviation `sigma` added to q, drawn from (seed, run name):
 *   reruns of one name reproduce, different names (trial attempts) differ.
 */
import { YOLOV5_METRIC_NAMES, metricRecord, type Hyp, type MetricRecord } from '@hyperevolve/ga-core';
import { seededGaussian } from './seeded-random.js';

/** One hyp's part of a landscape. */
export interface Term {
  /** hyp.scratch-low.yaml's value; also used when a hyp is missing. */
  readonly default: number;
  readonly optimum: number;
  /** Distance of one unit: in the hyp's units, or in decades for `log`. */
  readonly width: number;
  readonly log?: true;
}

/** Each hyp that matters, with YOLOv5's default, the landscape's optimum and the width. */
export const LANDSCAPE_TERMS: Readonly<Record<string, Term>> = Object.freeze({
  lr0: { default: 0.01, optimum: 0.0035, width: 0.5, log: true },
  lrf: { default: 0.01, optimum: 0.15, width: 0.8, log: true },
  momentum: { default: 0.937, optimum: 0.88, width: 0.06 },
  weight_decay: { default: 0.0005, optimum: 0.0007, width: 0.0004 },
  warmup_epochs: { default: 3.0, optimum: 1.5, width: 1.5 },
  warmup_momentum: { default: 0.8, optimum: 0.7, width: 0.3 },
  warmup_bias_lr: { default: 0.1, optimum: 0.06, width: 0.08 },
  box: { default: 0.05, optimum: 0.08, width: 0.3, log: true },
  cls: { default: 0.5, optimum: 1.2, width: 0.4, log: true },
  cls_pw: { default: 1.0, optimum: 1.0, width: 0.5 },
  obj: { default: 1.0, optimum: 1.6, width: 0.4, log: true },
  obj_pw: { default: 1.0, optimum: 1.0, width: 0.5 },
  iou_t: { default: 0.2, optimum: 0.2, width: 0.2 },
  anchor_t: { default: 4.0, optimum: 5.0, width: 1.5 },
  fl_gamma: { default: 0.0, optimum: 0.0, width: 1.0 },
  hsv_h: { default: 0.015, optimum: 0.025, width: 0.015 },
  hsv_s: { default: 0.7, optimum: 0.5, width: 0.25 },
  hsv_v: { default: 0.4, optimum: 0.3, width: 0.2 },
  degrees: { default: 0.0, optimum: 2.0, width: 8.0 },
  translate: { default: 0.1, optimum: 0.2, width: 0.15 },
  scale: { default: 0.5, optimum: 0.7, width: 0.25 },
  shear: { default: 0.0, optimum: 0.0, width: 4.0 },
  perspective: { default: 0.0, optimum: 0.0, width: 0.0005 },
  flipud: { default: 0.0, optimum: 0.0, width: 0.3 },
  fliplr: { default: 0.5, optimum: 0.5, width: 0.3 },
  mosaic: { default: 1.0, optimum: 0.85, width: 0.2 },
  mixup: { default: 0.0, optimum: 0.15, width: 0.2 },
  copy_paste: { default: 0.0, optimum: 0.0, width: 0.3 },
} satisfies Record<string, Term>);

const Q_MIN = 0.02;
const Q_MAX = 0.76;
const DEFAULT_DISTANCE_SQUARED = 2;
const LOG_FLOOR = 1e-6;

function rawDistanceSquared(terms: Readonly<Record<string, Term>>, value: (name: string, term: Term) => number): number {
  let sum = 0;
  for (const [name, term] of Object.entries(terms)) {
    const x = value(name, term);
    const d = term.log
      ? (Math.log10(Math.max(x, LOG_FLOOR)) - Math.log10(term.optimum)) / term.width
      : (x - term.optimum) / term.width;
    sum += d * d;
  }
  return sum;
}

/** A landscape over some hyps: the shape above, its K fixed so that D² = 2 at the terms' defaults. */
export interface Landscape {
  readonly terms: Readonly<Record<string, Term>>;
  /** Noise-free quality in [Q_MIN, Q_MAX]; hyps missing from `hyp` count at their default. */
  quality(hyp: Hyp): number;
}

/** The landscape of `terms` (each hyp's default, optimum and width). */
export function makeLandscape(terms: Readonly<Record<string, Term>>): Landscape {
  const k = DEFAULT_DISTANCE_SQUARED / rawDistanceSquared(terms, (_, term) => term.default);
  return Object.freeze({
    terms,
    quality: (hyp: Hyp) => Q_MIN + (Q_MAX - Q_MIN) / (1 + k * rawDistanceSquared(terms, (name, term) => hyp[name] ?? term.default)),
  });
}

/** The landscape over YOLOv5's hyps, sim-train's own. */
export const YOLOV5_LANDSCAPE: Landscape = makeLandscape(LANDSCAPE_TERMS);

/** The hyps at which the landscape peaks, in YOLOv5's hyp order. */
export function landscapeOptimum(): Hyp {
  return Object.fromEntries(Object.entries(LANDSCAPE_TERMS).map(([name, term]) => [name, term.optimum]));
}

/** Noise-free quality in [Q_MIN, Q_MAX]; hyps missing from `hyp` count at their default. */
export function landscapeQuality(hyp: Hyp): number {
  return YOLOV5_LANDSCAPE.quality(hyp);
}

/** The 7 evolve metrics a run of quality `q` ∈ [0, 1] reports, by YOLOv5's names. */
export function qualityToMetrics(q: number): MetricRecord {
  const precision = 0.15 + 0.8 * q ** 0.8;
  const recall = 0.1 + 0.85 * q ** 0.9;
  return metricRecord(YOLOV5_METRIC_NAMES, [precision, recall, mAP50Of(q), q, 0.02 + 0.08 * (1 - q), 0.005 + 0.02 * (1 - q), 0.002 + 0.03 * (1 - q)]);
}

function mAP50Of(q: number): number {
  return 1 - (1 - q) ** 1.8;
}

/** YOLOv5's default fitness (0.1·mAP@0.5 + 0.9·mAP@0.5:0.95) of a run of quality `q`, in [0, 1]. */
export function qualityFitness(q: number): number {
  return 0.1 * mAP50Of(q) + 0.9 * q;
}

/** YOLOv5's default fitness of the noise-free metrics of `hyp`, in [0, 1]. */
export function landscapeFitness(hyp: Hyp, landscape: Landscape = YOLOV5_LANDSCAPE): number {
  return qualityFitness(landscape.quality(hyp));
}

/** How the noise of one simulated trial is drawn. */
export interface NoiseInput {
  readonly seed: number;
  /** The run's `--name`: each trial attempt gets its own draw. */
  readonly runName: string;
  /** Standard deviation of the Gaussian added to the quality; 0 for none. */
  readonly sigma: number;
}

/** The quality one simulated trial reaches: the landscape's plus seeded noise, clamped to [0, 1]. */
export function simulatedQuality(hyp: Hyp, noise: NoiseInput, landscape: Landscape = YOLOV5_LANDSCAPE): number {
  const jitter = noise.sigma === 0 ? 0 : noise.sigma * seededGaussian(noise.seed, `noise\u0000${noise.runName}`);
  return Math.min(1, Math.max(0, landscape.quality(hyp) + jitter));
}

/** What one simulated trial reports: the metrics of its {@link simulatedQuality}. */
export function simulatedMetrics(hyp: Hyp, noise: NoiseInput): MetricRecord {
  return qualityToMetrics(simulatedQuality(hyp, noise));
}
