import { describe, expect, it } from 'vitest';
import { GaInputError } from '../ga-input-error.js';
import { metricRecord, type MetricRecord } from '../metrics.js';
import { YOLOV5_METRIC_NAMES } from '../trainers/yolov5.js';
import { parseEvolveCsv } from './evolve-csv-parse.js';
import { writeHypEvolveYaml } from './hyp-evolve-yaml.js';
import { readFixture } from './read-fixture.test-support.js';

// YOLOv5's default fitness, computed here rather than imported so this test checks the
// file format on its own.
const fitness = (m: MetricRecord): number => 0.1 * (m['metrics/mAP_0.5'] ?? NaN) + 0.9 * (m['metrics/mAP_0.5:0.95'] ?? NaN);
const columns = (hypNames: string[]) => ({ metricNames: YOLOV5_METRIC_NAMES, hypNames });
const zeros = metricRecord(YOLOV5_METRIC_NAMES, [0, 0, 0, 0, 0, 0, 0]);

describe('writeHypEvolveYaml', () => {
  it('writes the hyp_evolve.yaml YOLOv5 wrote for the fixture evolve.csv, byte for byte', () => {
    const { hypNames, rows } = parseEvolveCsv(readFixture('evolve.csv'), YOLOV5_METRIC_NAMES);
    const scores = rows.map((row) => fitness(row.metrics));
    const bestIndex = scores.indexOf(Math.max(...scores));
    const best = rows[bestIndex];
    if (best === undefined) throw new Error('fixture evolve.csv has no rows');
    expect(bestIndex).toBe(2);
    expect(writeHypEvolveYaml({ columns: columns(hypNames), best, bestIndex, lastIndex: rows.length - 1 })).toBe(readFixture('hyp_evolve.yaml'));
  });

  it('writes values as evolve.csv holds them (%.5g), spelled as PyYAML floats', () => {
    const text = writeHypEvolveYaml({
      columns: columns(['lr0', 'momentum', 'tiny']),
      best: { metrics: metricRecord(YOLOV5_METRIC_NAMES, [0.123456, NaN, 1, 0, 0, 0, 1e-7]), hyp: { lr0: 0.0123456, momentum: 123456, tiny: 5e-7 } },
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

  it('ends the metrics header with the best row\'s fitness where the columns carry one', () => {
    const text = writeHypEvolveYaml({
      columns: { ...columns(['lr0']), fitness: true },
      best: { metrics: {}, hyp: { lr0: 0.01 }, fitness: 0.8765432 },
      bestIndex: 1,
      lastIndex: 2,
    });
    const [, , , names, values] = text.split('\n');
    expect(names).toBe(`# ${[...YOLOV5_METRIC_NAMES, 'fitness'].map((v) => v.padStart(20)).join(', ')}`);
    expect(values).toBe(`# ${[...Array<string>(7).fill('nan'), '0.87654'].map((v) => v.padStart(20)).join(', ')}`);
  });

  it('names a hyp the best row lacks and rejects impossible indices', () => {
    const best = { metrics: zeros, hyp: { lr0: 0.01 } };
    expect(() => writeHypEvolveYaml({ columns: columns(['lr0', 'lrf']), best, bestIndex: 0, lastIndex: 0 })).toThrow(/no hyp "lrf"/);
    expect(() => writeHypEvolveYaml({ columns: columns(['lr0']), best, bestIndex: 3, lastIndex: 2 })).toThrow(GaInputError);
    expect(() => writeHypEvolveYaml({ columns: columns(['lr0']), best, bestIndex: -1, lastIndex: 2 })).toThrow(GaInputError);
  });
});
