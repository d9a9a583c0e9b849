import { GaInputError } from '../ga-input-error.js';
import { ashaRule, fastRule } from './asha-rule.js';
import { medianRule } from './median-rule.js';
import type { PruneRule } from './prune-rule.js';
import { NO_PRUNING, type PruneSettings } from './prune-settings.js';

/**
 * Every prune rule by the `--prune` value that selects it (and the settings' `mode`); `none`
 * has no rule. Their defaults were chosen on the pruning benchmark's first seed set and checked
 * on a second (docs/benchmarks.md): an evolving population beats its own past, so a rung that
 * compares a run with every run that ever reached it cuts too little late in a campaign, and one
 * odd report would stay in the comparison for good. A new rule: its file, one line here, its test.
 */
export const PRUNE_RULES = {
  median: medianRule,
  asha: ashaRule,
  fast: fastRule,
} as const satisfies Record<string, PruneRule>;

export type PruneRuleName = keyof typeof PRUNE_RULES;
export type PruneMode = 'none' | PruneRuleName;
export const PRUNE_MODES = ['none', ...(Object.keys(PRUNE_RULES) as PruneRuleName[])] as const;

/** A campaign's pruning as asked for: a mode and the rule's params (empty: its defaults). */
export interface PruneChoice {
  readonly name: PruneMode;
  readonly params: Readonly<Record<string, unknown>>;
}

/** The rule a mode applies; undefined for `none` (and for a mode no rule has). */
export function pruneRuleOf(mode: string): PruneRule | undefined {
  return Object.hasOwn(PRUNE_RULES, mode) ? PRUNE_RULES[mode as PruneRuleName] : undefined;
}

/**
 * The settings a campaign stores, from the chosen rule and its params against the trainer's
 * `epochs` (undefined when its command does not say). GaInputError whose `where` is the param at
 * fault (empty for the mode itself).
 */
export function configurePruning(choice: PruneChoice, epochs: number | undefined): PruneSettings {
  if (epochs !== undefined && (!Number.isInteger(epochs) || epochs < 1)) {
    throw new GaInputError(`the trainer's epoch count must be a whole number ≥ 1, got ${epochs}`, { where: '' });
  }
  if (choice.name === 'none') {
    const [param] = Object.keys(choice.params);
    if (param !== undefined) {
      throw new GaInputError(`${param} needs --prune ${PRUNE_MODES.slice(1).join('|')}: with --prune none (the default) no trial is compared at a rung`, { where: param });
    }
    return NO_PRUNING;
  }
  const rule = pruneRuleOf(choice.name);
  if (rule === undefined) throw new GaInputError(`--prune must be one of ${PRUNE_MODES.join(', ')}, got ${JSON.stringify(choice.name)}`, { where: '' });
  return rule.configure(choice.params, { epochs });
}
