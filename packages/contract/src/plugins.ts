import { z } from 'zod';
import { GaInputError, STRATEGY_NAMES, TRAINER_NAMES, configureStrategy, configureTrainer, trainerProfile } from '@hyperevolve/ga-core';

/*
 * How a campaign names and configures its plug-ins: the trainer profile (adapter) and the breeding
 * strategy, each a registered name with params that the plug-in itself checks.
 */

/** A registered trainer profile's name (ga-core's TRAINER_PROFILES): how trials are run and read. */
export const AdapterSchema = z.enum(TRAINER_NAMES);
export type Adapter = z.infer<typeof AdapterSchema>;

/**
 * The trainer profile's params (`--adapter-param K=V`), as given (empty: the profile's defaults),
 * checked by the profile ({@link refineAdapter}). Campaigns and jobs from before them read as `{}`.
 */
export const AdapterParamsSchema = z.record(z.string(), z.unknown()).default(() => ({}));

/**
 * What a campaign or job must agree on with its adapter: the profile takes its params (refused
 * naming the param, listing the profile's) and, where weights are given, one per fitness metric.
 */
export function refineAdapter(value: { adapter: Adapter; adapterParams: Record<string, unknown>; fitnessWeights?: readonly number[] | undefined }, ctx: z.RefinementCtx): void {
  try {
    configureTrainer(value.adapter, value.adapterParams);
  } catch (error) {
    if (!(error instanceof GaInputError)) throw error;
    ctx.addIssue({ code: 'custom', path: ['adapterParams'], message: error.message });
  }
  const over = trainerProfile(value.adapter).fitnessMetrics;
  if (value.fitnessWeights !== undefined && value.fitnessWeights.length !== over.length) {
    ctx.addIssue({
      code: 'custom',
      path: ['fitnessWeights'],
      message: `adapter ${value.adapter} takes ${over.length} fitness weights (over ${over.join(', ')}), got ${value.fitnessWeights.length}`,
    });
  }
}

/** A registered breeding strategy's name (ga-core's BREED_STRATEGIES): the `--parent` values. */
export const StrategyNameSchema = z.enum(STRATEGY_NAMES);

/** How a campaign breeds: a registered strategy and its params (empty: the strategy's defaults), checked by the strategy. */
export const StrategyChoiceSchema = z
  .object({ name: StrategyNameSchema, params: z.record(z.string(), z.unknown()) })
  .superRefine((choice, ctx) => {
    try {
      configureStrategy(choice);
    } catch (error) {
      if (!(error instanceof GaInputError)) throw error;
      ctx.addIssue({ code: 'custom', path: ['params'], message: error.message });
    }
  });
export type StrategyChoiceSetting = z.infer<typeof StrategyChoiceSchema>;
