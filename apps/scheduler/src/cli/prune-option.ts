import { MIN_PEERS_AT_RUNG, PRUNE_MODES, PRUNE_RULES, type PruneMode } from '@hyperevolve/ga-core';
import { ConfigError, option, quoteInput, type Option } from '@hyperevolve/runtime';
import { parseParams, type PruneRequest } from './plugin-params.js';

/**
 * The shorthand flags: `--prune-eta 4` is `--prune-param eta=4`, read by the same parser and
 * checked by the rule, which is the one place each param's range is defined.
 */
const SHORTHANDS = [
  { flag: 'prune-rungs', param: 'rungs', value: 'E,…', help: 'epochs after which trials are compared, e.g. 1,3 (default: the rule\'s; median and asha: the trainer\'s epochs / eta^k, 10 epochs → 1,3; fast 1)' },
  { flag: 'prune-eta', param: 'eta', value: 'ETA', help: 'asha and fast keep the top 1/ETA at each rung; also spaces the default rungs (default: the rule\'s, 3; fast 6)' },
  { flag: 'prune-window', param: 'window', value: 'K|all', help: "judge a trial at a rung against the last K trials that reached it (default: the rule's, 16; fast 32); all: against every one since the campaign began" },
] as const;

const rules = Object.values(PRUNE_RULES);
const paramList = [...new Set(rules.flatMap((rule) => rule.params.map((param) => param.name)))].join(', ');
const defaults = rules.map((rule) => `${rule.name}: ${rule.params.map((param) => `${param.name} ${param.default}`).join(', ')}`).join('; ');

/** --prune, --prune-param and the shorthands, as given; campaign/choose-pruning.ts configures the rule with them. */
export const pruning: Option<PruneRequest> = option({
  flags: [
    {
      name: 'prune',
      kind: 'string',
      value: PRUNE_MODES.join('|'),
      help: `stop trials that fall behind at a rung (default none: every trial runs to its last epoch). ${rules.map((rule) => `${rule.name}: ${rule.summary}`).join('; ')}. Waits for ${MIN_PEERS_AT_RUNG} other trials at a rung; never stops the first trial (docs/pruning.md)`,
      once: true,
    },
    { name: 'prune-param', kind: 'list', value: 'K=V', help: `one of the rule's params (${paramList}), e.g. eta=4 (repeat for more). Defaults: ${defaults} (docs/pruning.md)` },
    ...SHORTHANDS.map(({ flag, value, help }) => ({ name: flag, kind: 'string' as const, value, help: `${help}; the same as --prune-param ${flag.slice('prune-'.length)}=${value}` })),
  ],
  read: (input): PruneRequest => {
    const mode = input.flag('prune') as string | undefined;
    if (mode !== undefined && !(PRUNE_MODES as readonly string[]).includes(mode)) {
      throw new ConfigError(`--prune: ${quoteInput(mode)} is not a prune mode; use one of ${PRUNE_MODES.join(', ')} (e.g. --prune median)`);
    }
    const raw = input.flag('prune-param');
    const params = parseParams(Array.isArray(raw) ? raw : [], '--prune-param', 'eta=4');
    const flags: Record<string, string> = Object.fromEntries(Object.keys(params).map((param) => [param, '--prune-param']));
    for (const { flag, param } of SHORTHANDS) {
      const text = input.flag(flag);
      if (typeof text !== 'string') continue;
      if (Object.hasOwn(params, param)) throw new ConfigError(`--${flag} and --prune-param ${param}=… set the same param; give one of them`);
      Object.assign(params, parseParams([`${param}=${text}`], `--${flag}`, `${param}=${text}`));
      flags[param] = `--${flag}`;
    }
    return { name: (mode ?? 'none') as PruneMode, params, flags };
  },
});
