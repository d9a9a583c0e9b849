/**
 * @hyperevolve/sim-train — a stand-in for YOLOv5's train.py, and its fitness landscape.
 *
 * The `sim-train` bin takes the flags hyperevolve gives train.py and writes a YOLOv5
 * results.csv; benchmarks can call the landscape directly, without a process per trial.
 *
 * @example
 * ```ts
 * import { landscapeFitness, simulatedMetrics } from '@hyperevolve/sim-train';
 *
 * landscapeFitness(hyp); // YOLOv5's default fitness of the noise-free metrics, in [0, 1]
 * simulatedMetrics(hyp, { seed: 0, runName: 'trial-7-a1', sigma: 0.01 }); // what one trial reports
 * qualityAfter({ epochs: 10, rankCorrelation: 0.6, firstRung: 1 }, finalQuality, runLuck(0, '7-1'), 1); // after its first epoch
 * ```
 */
export {
  LANDSCAPE_TERMS,
  YOLOV5_LANDSCAPE,
  landscapeFitness,
  makeLandscape,
  landscapeOptimum,
  landscapeQuality,
  qualityFitness,
  qualityToMetrics,
  simulatedMetrics,
  simulatedQuality,
} from './landscape.js';
export type { Landscape, NoiseInput, Term } from './landscape.js';
export { ULTRALYTICS_LANDSCAPE, ULTRALYTICS_LANDSCAPE_TERMS } from './ultralytics-landscape.js';
export { CURVE_REFERENCE_SPREAD, qualityAfter, runLuck } from './learning-curve.js';
export type { CurveShape } from './learning-curve.js';
