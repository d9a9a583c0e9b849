import { configureStrategy, GaInputError, type Breeding, type StrategyChoice, type TrainerProfile } from '@hyperevolve/ga-core';
import { ConfigError } from '@hyperevolve/runtime';
import type { StrategyRequest } from '../cli/plugin-params.js';

/**
 * The campaign's strategy from `--strategy`/`--strategy-param` (the trainer profile's own when
 * none is named), configured by the strategy itself: enqueue stores `choice`, preview breeds with
 * `breeding`, both the same way. ConfigError (exit 2) for params the strategy refuses.
 */
export function chooseStrategy(request: StrategyRequest, profile: TrainerProfile): { choice: StrategyChoice; breeding: Breeding } {
  const choice: StrategyChoice = { name: request.name ?? profile.defaultStrategy, params: { ...request.params } };
  try {
    return { choice, breeding: configureStrategy(choice) };
  } catch (error) {
    if (error instanceof GaInputError) throw new ConfigError(`--strategy-param: ${error.message}`, { cause: error });
    throw error;
  }
}
