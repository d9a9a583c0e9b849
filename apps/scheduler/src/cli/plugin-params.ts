import type { PruneMode, StrategyName } from '@hyperevolve/ga-core';
import { ConfigError, quoteInput } from '@hyperevolve/runtime';

/** A plug-in's params as the command line gives them; the plug-in itself checks them (names, types, ranges). */
export type PluginParams = Record<string, number | boolean | string>;

/** The breeding strategy as `--strategy` and `--strategy-param` give it; a null name is the adapter's own. */
export interface StrategyRequest {
  readonly name: StrategyName | null;
  readonly params: PluginParams;
}

/** The prune rule as `--prune`, `--prune-param` and their shorthands give it. */
export interface PruneRequest {
  readonly name: PruneMode;
  readonly params: PluginParams;
  /** The flag each param was given with (`--prune-eta`, `--prune-param`): refusals name it. */
  readonly flags: Readonly<Record<string, string>>;
}

/**
 * `k=v` pairs of a repeatable param flag: a value that reads as a number is one, `true` and
 * `false` are booleans, anything else stays text. A key given twice is refused.
 */
export function parseParams(pairs: readonly string[], flag: string, example: string): PluginParams {
  const params: PluginParams = {};
  for (const pair of pairs) {
    const match = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/s.exec(pair);
    if (match === null) throw new ConfigError(`${flag}: ${quoteInput(pair)} is not KEY=VALUE; use e.g. ${flag} ${example}`);
    const [, key = '', text = ''] = match;
    if (Object.hasOwn(params, key)) throw new ConfigError(`${flag}: ${key} is given twice; give each param once`);
    const number = Number(text);
    params[key] = text.trim() !== '' && Number.isFinite(number) ? number : text === 'true' ? true : text === 'false' ? false : text;
  }
  return params;
}
