export type { BreedContext, BreedStrategy, Breeding, Proposal } from './breed-strategy.js';
export { yolov5Single, yolov5Weighted } from './yolov5-v7.js';
export { ultralyticsTuner } from './ultralytics-tuner.js';
export { SINCE_BEST_HORIZON, historyOf } from './breed-history.js';
export type { BreedHistory } from './breed-history.js';
export { BREED_STRATEGIES, DEFAULT_STRATEGY, STRATEGY_NAMES, configureStrategy } from './registry.js';
export type { StrategyChoice, StrategyName } from './registry.js';
