import { describe, expect, it } from 'vitest';
import { GaInputError } from '../ga-input-error.js';
import { DEFAULT_TRAINER, TRAINER_NAMES, TRAINER_PROFILES, configureTrainer, trainerProfile } from './registry.js';

describe('trainer profiles', () => {
  it('are registered under their own names, the default first', () => {
    expect(TRAINER_NAMES[0]).toBe(DEFAULT_TRAINER);
    for (const name of TRAINER_NAMES) expect(trainerProfile(name).name).toBe(name);
    expect(TRAINER_NAMES).toEqual(Object.keys(TRAINER_PROFILES));
  });

  it.each(TRAINER_NAMES)('%s: weighs metrics it has, with one default weight per fitness metric, and evolves keys of its base hyp', (name) => {
    const profile = trainerProfile(name);
    for (const metric of profile.fitnessMetrics) expect(profile.metricNames).toContain(metric);
    expect(profile.defaultFitnessWeights).toHaveLength(profile.fitnessMetrics.length);
    expect(new Set(profile.metricNames).size).toBe(profile.metricNames.length);
    for (const hyp of Object.keys(profile.defaultSpace)) if (hyp !== 'anchors') expect(profile.defaultHyp).toHaveProperty(hyp);
  });

  it.each(TRAINER_NAMES)('%s: exports the best file `scheduler best` prints', (name) => {
    const profile = trainerProfile(name);
    expect(profile.exports).toContain(profile.bestFile);
  });

  it.each(TRAINER_NAMES)('%s: configured with no params is itself in all it measures and exports, and refuses a param it does not take, listing its own', (name) => {
    const profile = trainerProfile(name);
    const configured = configureTrainer(name, {});
    for (const part of ['name', 'metricNames', 'fitnessMetrics', 'defaultFitnessWeights', 'defaultHyp', 'defaultSpace', 'exports', 'bestFile', 'fitnessColumn'] as const) {
      expect(configured[part]).toEqual(profile[part]);
    }
    const listed = (profile.params ?? []).map((param) => param.name);
    expect(() => configureTrainer(name, { noSuchParam: 1 })).toThrow(GaInputError);
    expect(() => configureTrainer(name, { noSuchParam: 1 })).toThrow(
      new RegExp(`^adapter ${name} has no param "noSuchParam"\\. adapter ${name} takes ${listed.length === 0 ? 'no params' : listed.map((param) => `${param} \\(`).join('.*')}`),
    );
    // Each documented param, at its documented default, configures.
    for (const param of profile.params ?? []) expect(() => configureTrainer(name, { [param.name]: param.default })).not.toThrow();
  });
});
