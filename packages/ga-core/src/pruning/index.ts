export { PRUNE_RULES, ashaRule, medianRule } from './prune-rule.js';
export type { PruneRule, PruneRuleName } from './prune-rule.js';
export { DEFAULT_PRUNE_ETA, MIN_PEERS_AT_RUNG, NO_PRUNING, PRUNE_MODES, PRUNE_PRESETS, compilePruning, defaultRungs, pruneRuleOf } from './prune-settings.js';
export type { PruneMode, PrunePreset, PruneRequest, PruneSettings } from './prune-settings.js';
export { decideAtRung } from './rung-decision.js';
export type { ContinueWhy, RungDecision, RungInput } from './rung-decision.js';
export { rungLogLength, rungPeers } from './rung-window.js';
export type { RungArrival } from './rung-window.js';
