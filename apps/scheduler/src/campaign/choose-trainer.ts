import { DEFAULT_TRAINER, GaInputError, configureTrainer, resolveTrainer, type TrainerName, type TrainerProfile } from '@hyperevolve/ga-core';
import { ConfigError } from '@hyperevolve/runtime';
import type { PluginParams } from '../cli/plugin-params.js';

/** The campaign's trainer as enqueue stores it and preview shows it. */
export interface ChosenTrainer {
  readonly name: TrainerName;
  /** What was detected from the command, when no --adapter was given. */
  readonly note: string | null;
  /** Its profile configured by the params (what trials run with). */
  readonly profile: TrainerProfile;
  /** The params as given: what the campaign stores. */
  readonly params: PluginParams;
}

/**
 * `--adapter` (or the trainer the command runs) configured by `--adapter-param`: enqueue and
 * preview both through here. ConfigError (exit 2) when the command contradicts --adapter or the
 * profile refuses a param (naming it and listing those it takes). `command` null (preview
 * without one): --adapter, else the default trainer.
 */
export function chooseTrainer(command: readonly string[] | null, given: TrainerName | null, params: PluginParams): ChosenTrainer {
  let resolved: { name: TrainerName; note: string | null };
  try {
    resolved = command === null ? { name: given ?? DEFAULT_TRAINER, note: null } : resolveTrainer(command, given);
  } catch (error) {
    if (error instanceof GaInputError) throw new ConfigError(error.message, { cause: error });
    throw error;
  }
  try {
    return { ...resolved, profile: configureTrainer(resolved.name, params), params: { ...params } };
  } catch (error) {
    if (error instanceof GaInputError) throw new ConfigError(`--adapter-param: ${error.message}`, { cause: error });
    throw error;
  }
}

/** What enqueue and preview echo of a profile with params: each as `--adapter-param` would set it. Empty for one without. */
export function describeTrainerParams(trainer: ChosenTrainer): string[] {
  const params = trainer.profile.params ?? [];
  if (params.length === 0) return [];
  const values = params.map((param) => `${param.name}=${String(trainer.params[param.name] ?? param.default)}`);
  return [`adapter ${trainer.name} params: ${values.join(' ')} (--adapter-param K=V sets one)`];
}
