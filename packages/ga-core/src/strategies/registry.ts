import { GaInputError } from '../ga-input-error.js';
import type { BreedStrategy, Breeding } from './breed-strategy.js';
import { ultralyticsTuner } from './ultralytics-tuner.js';
import { yolov5Single, yolov5Weighted } from './yolov5-v7.js';

/**
 * Every breeding strategy, by the name campaigns store; contract's StrategyChoiceSchema and the
 * `--parent` values are derived from these keys. A new strategy: its own file, one line here,
 * its test.
 */
export const BREED_STRATEGIES = {
  single: yolov5Single,
  weighted: yolov5Weighted,
  ultralytics: ultralyticsTuner,
} as const satisfies Record<string, BreedStrategy>;

export type StrategyName = keyof typeof BREED_STRATEGIES;

/** The registered names, the default first. */
export const STRATEGY_NAMES = Object.keys(BREED_STRATEGIES) as [StrategyName, ...StrategyName[]];

/** YOLOv5 v7.0's: the default of campaigns whose trainer profile names none of its own. */
export const DEFAULT_STRATEGY: StrategyName = 'single';

/** What a campaign's settings hold: a strategy and its parameters (empty: its defaults). */
export interface StrategyChoice {
  readonly name: StrategyName;
  readonly params: Readonly<Record<string, unknown>>;
}

/** The chosen strategy with its params checked; GaInputError for an unknown name or a bad param. */
export function configureStrategy(choice: StrategyChoice): Breeding {
  const strategy: BreedStrategy | undefined = Object.hasOwn(BREED_STRATEGIES, choice.name) ? BREED_STRATEGIES[choice.name] : undefined;
  if (strategy === undefined) {
    throw new GaInputError(`no breeding strategy named ${JSON.stringify(choice.name)}; the strategies are ${STRATEGY_NAMES.join(', ')}`, { where: 'strategy' });
  }
  return strategy.configure(choice.params);
}
