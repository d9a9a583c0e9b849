import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ULTRALYTICS_TUNER_BASE_HYP, ultralyticsDetectProfile } from '@hyperevolve/ga-core';
import { ConfigError } from '@hyperevolve/runtime';
import { importPopulation } from './import-population.js';

const scoring = { profile: ultralyticsDetectProfile, weights: [0, 0, 0, 1] };

describe('--seed-from an Ultralytics tune', () => {
  it("reads the real Tuner's tune_results.ndjson as rows scored by the campaign's weights", () => {
    const text = readFileSync('fixtures/trainer-runs/ultralytics-tune/tune_results.ndjson', 'utf8');
    const rows = importPopulation(text, 'tune_results.ndjson', ULTRALYTICS_TUNER_BASE_HYP, scoring);
    expect(rows).toHaveLength(2);
    expect(rows[1]?.hyp).toMatchObject({ box: 3.23986, close_mosaic: 10 });
    expect(Object.keys(rows[1]?.hyp ?? {})).toEqual(Object.keys(ULTRALYTICS_TUNER_BASE_HYP));
    expect(rows.map((row) => row.fitness)).toEqual([0, 0]);
    expect(rows[0]?.metrics['val/box_loss']).toBe(1.56494);
  });

  it('refuses a tune whose hyps are not the campaign\'s, naming them (exit 2)', () => {
    const text = '{"iteration": 1, "fitness": 0.1, "hyperparameters": {"lr0": 0.01, "obj": 0.7}, "datasets": {"d": {}}}\n';
    expect(() => importPopulation(text, 't.ndjson', ULTRALYTICS_TUNER_BASE_HYP, scoring)).toThrow(ConfigError);
    expect(() => importPopulation(text, 't.ndjson', ULTRALYTICS_TUNER_BASE_HYP, scoring)).toThrow(/--seed-from: t.ndjson does not match the campaign's hyps: missing hyp columns lrf, .*; columns not in the base hyps obj/);
  });
});
