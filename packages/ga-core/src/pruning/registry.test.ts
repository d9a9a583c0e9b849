import { describe, expect, it } from 'vitest';
import { GaInputError } from '../ga-input-error.js';
import { MIN_PEERS_AT_RUNG, NO_PRUNING } from './prune-settings.js';
import { PRUNE_MODES, PRUNE_RULES, configurePruning, type PruneChoice, type PruneRuleName } from './registry.js';
import { decideAtRung } from './rung-decision.js';

const RULES = Object.entries(PRUNE_RULES) as [PruneRuleName, (typeof PRUNE_RULES)[PruneRuleName]][];

function refusal(choice: PruneChoice, epochs: number | undefined): GaInputError {
  try {
    configurePruning(choice, epochs);
  } catch (error) {
    if (error instanceof GaInputError) return error;
    throw error;
  }
  throw new Error(`expected a GaInputError for ${JSON.stringify(choice)}`);
}

describe('every prune rule in the registry', () => {
  it.each(RULES)('%s: registered under its own name, its defaults valid and deciding', (name, rule) => {
    expect(rule.name).toBe(name);
    expect(PRUNE_MODES).toContain(name);
    const settings = configurePruning({ name, params: {} }, 10);
    expect(settings.mode).toBe(name);
    expect(settings.rungs.length).toBeGreaterThan(0);
    expect(settings.rungs.every((rung) => rung >= 1 && rung < 10)).toBe(true);
    expect(settings.eta).toBeGreaterThan(1);
    expect(settings.window === null || settings.window >= MIN_PEERS_AT_RUNG).toBe(true);
    const arrivals = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6].map((fitness, i) => ({ index: i + 1, fitness }));
    const rung = settings.rungs[0] ?? 1;
    expect(decideAtRung({ settings, epoch: rung, fitness: 0.01, arrivals, index: 9 })).toMatchObject({ kind: 'prune', rung });
    expect(decideAtRung({ settings, epoch: rung, fitness: 0.99, arrivals, index: 9 })).toMatchObject({ kind: 'continue', why: 'at-or-above-cut' });
  });

  it.each(RULES)('%s: the params it echoes configure back into the same settings', (name, rule) => {
    for (const params of [{}, { rungs: '2,4', window: 'all' }, { eta: 2.5, window: 8 }]) {
      const settings = rule.configure(params, { epochs: 12 });
      expect(rule.configure(rule.paramsOf(settings), { epochs: 12 })).toEqual(settings);
      expect(configurePruning({ name, params: rule.paramsOf(settings) }, 12)).toEqual(settings);
    }
  });

  it.each(RULES)('%s: refuses an unknown param, naming it and listing every param with its range and default', (name, rule) => {
    const error = refusal({ name, params: { etaa: 4 } }, 10);
    expect(error.where).toBe('etaa');
    expect(error.message).toMatch(new RegExp(`^prune ${name} has no param "etaa"\\. prune ${name} takes `));
    for (const param of rule.params) expect(error.message).toContain(`${param.name} (${param.takes}; default ${param.default})`);
  });

  it.each(RULES)('%s: refuses a bad value of each of its params, naming the param', (name, rule) => {
    for (const param of rule.params) {
      // Bad for any param: text, a switch, not a number, an object.
      for (const bad of ['lots', true, Number.NaN, {}]) {
        const error = refusal({ name, params: { [param.name]: bad } }, 10);
        expect(error.where, `${param.name}=${Number.isNaN(bad) ? 'NaN' : JSON.stringify(bad)}`).toBe(param.name);
        expect(error.message).toMatch(new RegExp(`^prune ${name}: ${param.name}[ :]`));
      }
    }
  });
});

describe('configurePruning', () => {
  it('is off with none; a param with none is refused, naming the rules that take it', () => {
    expect(configurePruning({ name: 'none', params: {} }, 10)).toEqual(NO_PRUNING);
    expect(configurePruning({ name: 'none', params: {} }, undefined).rungs).toEqual([]);
    expect(refusal({ name: 'none', params: { rungs: '1' } }, 10).message).toBe(`rungs needs --prune ${PRUNE_MODES.slice(1).join('|')}: with --prune none (the default) no trial is compared at a rung`);
  });

  it("fills in each rule's defaults: median and asha windowed at 16 with rungs from the epoch count, fast one rung at η 6 and 32", () => {
    expect(configurePruning({ name: 'median', params: {} }, 10)).toEqual({ mode: 'median', rungs: [1, 3], eta: 3, minPeers: MIN_PEERS_AT_RUNG, window: 16 });
    expect(configurePruning({ name: 'asha', params: {} }, 10)).toEqual({ mode: 'asha', rungs: [1, 3], eta: 3, minPeers: MIN_PEERS_AT_RUNG, window: 16 });
    expect(configurePruning({ name: 'fast', params: {} }, 10)).toEqual({ mode: 'fast', rungs: [1], eta: 6, minPeers: MIN_PEERS_AT_RUNG, window: 32 });
    expect(configurePruning({ name: 'asha', params: { eta: 2 } }, 10).rungs).toEqual([1, 3, 5]);
    expect(configurePruning({ name: 'asha', params: { window: 8, eta: 2 } }, 10)).toMatchObject({ window: 8, eta: 2 });
    expect(configurePruning({ name: 'asha', params: { window: 'all' } }, 10).window).toBeNull();
  });

  it('takes the rungs given, as text, one number or a list', () => {
    expect(configurePruning({ name: 'asha', params: { rungs: '2, 5' } }, 10).rungs).toEqual([2, 5]);
    expect(configurePruning({ name: 'asha', params: { rungs: 2 } }, 10).rungs).toEqual([2]);
    expect(configurePruning({ name: 'median', params: { rungs: [2, 5] } }, undefined).rungs).toEqual([2, 5]);
  });

  const rejects = (choice: PruneChoice, epochs: number | undefined, where: string, message: RegExp) => {
    const error = refusal(choice, epochs);
    expect(error.where).toBe(where);
    expect(error.message).toMatch(message);
  };

  it('names the param and the fix for bad input', () => {
    rejects({ name: 'median', params: {} }, undefined, 'rungs', /^prune median needs rungs: give --prune-rungs .* or put the epoch count in the training command/);
    rejects({ name: 'median', params: { rungs: '3,1' } }, 10, 'rungs', /rungs: must be ascending without repeats, like 1,3,9; got 3,1/);
    rejects({ name: 'median', params: { rungs: [1, 1] } }, 10, 'rungs', /ascending without repeats/);
    rejects({ name: 'median', params: { rungs: 0 } }, 10, 'rungs', /rungs: 0 is not an epoch count/);
    rejects({ name: 'median', params: { rungs: 1.5 } }, 10, 'rungs', /rungs: 1.5 is not an epoch count/);
    rejects({ name: 'median', params: { rungs: '1,three' } }, 10, 'rungs', /rungs: must be epoch counts separated by commas, like 1,3; got "1,three"/);
    rejects({ name: 'median', params: { rungs: [] } }, 10, 'rungs', /at least one epoch/);
    rejects({ name: 'asha', params: { rungs: [1, 10] } }, 10, 'rungs', /rung 10 is not before the last epoch .* use rungs below 10/);
    rejects({ name: 'asha', params: { eta: 1 } }, 10, 'eta', /^prune asha: eta: must be a number above 1 .*, got 1\. prune asha takes /);
    rejects({ name: 'median', params: {} }, 1, 'rungs', /runs 1 epoch has no epoch to compare trials at/);
    rejects({ name: 'fast', params: {} }, 1, 'rungs', /runs 1 epoch has no epoch to compare trials at/);
    rejects({ name: 'asha', params: { window: 4 } }, 10, 'window', /window: must be a whole number ≥ 5 .* or all, got 4/);
    rejects({ name: 'asha', params: { window: 7.5 } }, 10, 'window', /window: must be a whole number/);
    rejects({ name: 'hyperband' as 'asha', params: {} }, 10, '', new RegExp(`--prune must be one of ${PRUNE_MODES.join(', ')}`));
    rejects({ name: 'toString' as 'asha', params: {} }, 10, '', /--prune must be one of/);
  });
});
