/**
 * @hyperevolve/ga-core — pure YOLOv5-style hyperparameter evolution, YOLOv5 file formats, and
 * the pure half of each trainer profile (what a kind of trainer measures, how it is called,
 * how its results read).
 *
 * No I/O, no Node built-ins, no clocks: randomness and text come in, values and text go out.
 *
 * @example
 * ```ts
 * import { breedCandidate, fitness, trainerProfile, trialRng, writeHypYaml } from '@hyperevolve/ga-core';
 *
 * const profile = trainerProfile('yolov5');
 * const rng = trialRng(campaignSeed, trialIndex);
 * const { hyp, parentIds } = breedCandidate({ base, space: profile.defaultSpace, population: top5, strategy: 'single', rng, first: trialIndex === 0 });
 * const file = writeHypYaml(hyp); // loads back as the same floats in PyYAML
 * const score = fitness(profile.parseResults(resultsText, 'results.csv').metrics ?? {}, profile.defaultFitnessWeights, profile.fitnessMetrics);
 * ```
 */
export * from './metrics.js';
export * from './ga-input-error.js';
export * from './describe-zod-error.js';
export * from './trainers/index.js';
export * from './strategies/index.js';
export * from './yolov5-default-hyp.js';
export * from './ga/index.js';
export * from './formats/index.js';
export * from './analysis/index.js';
export * from './pruning/index.js';
export { paramsListing, parsePluginParams, type PluginParamDoc } from './plugin-params.js';
