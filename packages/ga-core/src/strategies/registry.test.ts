import { describe, expect, it } from 'vitest';
import { BREED_STRATEGIES, DEFAULT_STRATEGY, STRATEGY_NAMES, configureStrategy, type StrategyName } from './registry.js';

describe('breeding strategies', () => {
  it('are registered under their own names, the default first', () => {
    expect(STRATEGY_NAMES[0]).toBe(DEFAULT_STRATEGY);
    for (const name of STRATEGY_NAMES) {
      expect(BREED_STRATEGIES[name].name).toBe(name);
      expect(configureStrategy({ name, params: {} }).name).toBe(name);
      // Each strategy checks its own params: an unknown one is refused, naming it.
      expect(() => configureStrategy({ name, params: { noSuchParam: 1 } })).toThrow(/noSuchParam/);
    }
  });

  it('name the strategies when asked for one that is not registered', () => {
    expect(() => configureStrategy({ name: 'tournament' as StrategyName, params: {} })).toThrow(`no breeding strategy named "tournament"; the strategies are ${STRATEGY_NAMES.join(', ')}`);
    expect(() => configureStrategy({ name: 'toString' as StrategyName, params: {} })).toThrow(/no breeding strategy named "toString"/);
  });
});
