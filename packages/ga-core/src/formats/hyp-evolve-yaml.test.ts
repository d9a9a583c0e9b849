import { describe, expect, it } from 'vitest';
import { GaInputError } from '../ga-input-error.js';
import type { Metrics } from '../metrics.js';
import { parseEvolveCsv } from './evolve-csv-parse.js';
import { writeHypEvolveYaml } from './hyp-evolve-yaml.js';
import { readFixture } from './read-fixture.test-support.js';

// YOLOv5's default fitness, computed here rather than imported so this test checks the
// file format on its own.
const fitness = (m: Metrics): number => 0.1 * m[2] + 0.9 * m[3];

describe('writeHypEvolveYaml', () => {
  it('writes the hyp_evolve.yaml YOLOv5 wrote for the fixture evolve.csv, byte for byte', () => {
    const { hypNames, rows } = parseEvolveCsv(readFixture('evolve.csv'));
    const scores = rows.map((row) => fitness(row.metrics));
    const bestIndex = scores.indexOf(Math.max(...scores));
    const best = rows[bestIndex];
    if (best === undefined) throw new Error('fixture evolve.csv has no rows');
    expect(bestIndex).toBe(2);
    expect(writeHypEvolveYaml({ hypNames, best, bestIndex, lastIndex: rows.length - 1 })).toBe(readFixture('hyp_evolve.yaml'));
  });

  it('writes values as evolve.csv holds them (%.5g), spelled as PyYAML floats', () => {
    const text = writeHypEvolveYaml({
      hypNames: ['lr0', 'momentum', 'tiny'],
      best: { metrics: [0.123456, NaN, 1, 0, 0, 0, 1e-7], hyp: { lr0: 0.0123456, momentum: 123456, tiny: 5e-7 } },
      bestIndex: 0,
      lastIndex: 4,
    });
    const [, best, last, , metrics, blank, ...body] = text.split('\n');
    expect(best).toBe('# Best generation: 0');
    expect(last).toBe('# Last generation: 4');
    expect(metrics).toBe(`# ${['0.12346', 'nan', '1', '0', '0', '0', '1e-07'].map((v) => v.padStart(20)).join(', ')}`);
    expect(blank).toBe('');
    expect(body).toEqual(['lr0: 0.012346', 'momentum: 123460.0', 'tiny: 5.0e-07', '']);
  });

  it('names a hyp the best row lacks and rejects impossible indices', () => {
    const best = { metrics: [0, 0, 0, 0, 0, 0, 0] as const, hyp: { lr0: 0.01 } };
    expect(() => writeHypEvolveYaml({ hypNames: ['lr0', 'lrf'], best, bestIndex: 0, lastIndex: 0 })).toThrow(/no hyp "lrf"/);
    expect(() => writeHypEvolveYaml({ hypNames: ['lr0'], best, bestIndex: 3, lastIndex: 2 })).toThrow(GaInputError);
    expect(() => writeHypEvolveYaml({ hypNames: ['lr0'], best, bestIndex: -1, lastIndex: 2 })).toThrow(GaInputError);
  });
});
