import { GaInputError, configurePruning, pruneRuleOf, type PruneSettings } from '@hyperevolve/ga-core';
import { ConfigError } from '@hyperevolve/runtime';
import type { PruneRequest } from '../cli/plugin-params.js';

/**
 * The campaign's pruning from `--prune`, `--prune-param` and the shorthands, configured by the
 * rule itself against the trainer's epoch count: enqueue stores it and preview shows it, both
 * through here. ConfigError (exit 2) naming the flag the bad param came with.
 */
export function choosePruning(request: PruneRequest, epochs: number | undefined): PruneSettings {
  try {
    return configurePruning({ name: request.name, params: request.params }, epochs);
  } catch (error) {
    if (!(error instanceof GaInputError)) throw error;
    // A param not given (rungs the command's epochs cannot supply) is the rule's: --prune.
    const flag = (error.where === undefined ? undefined : request.flags[error.where]) ?? '--prune';
    throw new ConfigError(`${flag}: ${error.message}`, { cause: error });
  }
}

/**
 * What enqueue and preview tell the user about a pruning campaign: the rungs and where they came
 * from, then every param as `--prune-param` would set it. Empty for `--prune none`.
 */
export function describePruning(settings: PruneSettings, request: PruneRequest, epochs: number | undefined): string[] {
  const rule = pruneRuleOf(settings.mode);
  if (rule === undefined) return [];
  const params = Object.entries(rule.paramsOf(settings)).map(([name, value]) => `${name}=${value}`);
  return [
    rule.describe(settings, Object.keys(request.params), epochs),
    `prune ${settings.mode} params: ${params.join(' ')} (--prune-param K=V sets one)`,
  ];
}
