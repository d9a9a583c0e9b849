import { describe, expect, it } from 'vitest';
import { DEFAULT_TRAINER, TRAINER_NAMES, TRAINER_PROFILES, trainerProfile } from './registry.js';

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
});
