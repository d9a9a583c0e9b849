/**
 * @hyperevolve/ga-core — pure YOLOv5-style hyperparameter evolution and YOLOv5 file formats.
 *
 * No I/O, no Node built-ins, no clocks: randomness and text come in, values and text go out.
 *
 * @example
 * ```ts
 * import { YOLOV5_DETECTION_SPACE, breedCandidate, trialRng, writeHypYaml } from '@hyperevolve/ga-core';
 *
 * const rng = trialRng(campaignSeed, trialIndex);
 * const { hyp, parentIds } = breedCandidate({ base, space: YOLOV5_DETECTION_SPACE, population: top5, strategy: 'single', rng, first: trialIndex === 0 });
 * const file = writeHypYaml(hyp); // loads back as the same floats in PyYAML
 * ```
 */
export * from './metrics.js';
export * from './ga-input-error.js';
export * from './yolov5-default-hyp.js';
export * from './ga/index.js';
export * from './formats/index.js';
