import { describe, expect, it } from 'vitest';
import { GaInputError } from '../ga-input-error.js';
import { metricRecord, metricValues } from '../metrics.js';
import { YOLOV5_METRIC_NAMES } from '../trainers/yolov5.js';
import { parseEvolveCsv } from './evolve-csv-parse.js';
import { evolveCsvHeader, evolveCsvRow, writeEvolveCsv } from './evolve-csv-write.js';
import { readFixture } from './read-fixture.test-support.js';

const pad = (cells: readonly (string | number)[]): string => cells.map((c) => String(c).padStart(20)).join(',') + '\n';
const METRICS_HEADER = [...YOLOV5_METRIC_NAMES];
const columns = (hypNames: string[]) => ({ metricNames: YOLOV5_METRIC_NAMES, hypNames });
const metrics = (values: number[]) => metricRecord(YOLOV5_METRIC_NAMES, values);
const parse = (text: string, source?: string) => parseEvolveCsv(text, YOLOV5_METRIC_NAMES, source);
const valuesOf = (row: { metrics: Record<string, number> } | undefined) => metricValues(row?.metrics ?? {}, YOLOV5_METRIC_NAMES);

function errorOf(run: () => unknown): GaInputError {
  try {
    run();
  } catch (error) {
    if (error instanceof GaInputError) return error;
    throw error;
  }
  throw new Error('expected a GaInputError, nothing was thrown');
}

describe('evolve.csv', () => {
  it("parses YOLOv5's own file and writes it back byte for byte", () => {
    const fixture = readFixture('evolve.csv');
    const { hypNames, rows } = parse(fixture);
    expect(hypNames).toHaveLength(29); // the 28 of hyp.scratch-low.yaml plus anchors
    expect(hypNames[0]).toBe('lr0');
    expect(hypNames.at(-1)).toBe('anchors');
    expect(rows).toHaveLength(12);
    expect(rows[1]?.hyp.lr0).toBe(1e-5);
    expect(rows[10]?.metrics['val/cls_loss']).toBe(1.2346e5);
    expect(rows[0]?.metrics['val/obj_loss']).toBe(1.2346e-7);
    expect(writeEvolveCsv(columns(hypNames), rows)).toBe(fixture);
  });

  it('writes %20s headers and %20.5g cells, metrics first, hyps in the given order', () => {
    const row = { metrics: metrics([0.5, 0.25, 0.123456, NaN, 1e-5, 0, 12344.5]), hyp: { b: 3, a: 5e-7 } };
    expect(evolveCsvHeader(columns(['a', 'b']))).toBe(pad([...METRICS_HEADER, 'a', 'b']));
    expect(evolveCsvRow(row, columns(['a', 'b']))).toBe(pad(['0.5', '0.25', '0.12346', 'nan', '1e-05', '0', '12344', '5e-07', '3']));
    expect(writeEvolveCsv(columns(['a', 'b']), [row, row])).toBe(evolveCsvHeader(columns(['a', 'b'])) + evolveCsvRow(row, columns(['a', 'b'])).repeat(2));
  });

  it('writes the metric columns in the columns\' order whatever the record\'s, nan for one the row lacks', () => {
    const row = { metrics: { 'metrics/recall': 0.25, 'metrics/precision': 0.5 }, hyp: { a: 1 } };
    expect(evolveCsvRow(row, columns(['a']))).toBe(pad(['0.5', '0.25', 'nan', 'nan', 'nan', 'nan', 'nan', '1']));
  });

  it('refuses to write a row that lacks a hyp column, naming the hyp', () => {
    const row = { metrics: metrics([0, 0, 0, 0, 0, 0, 0]), hyp: { a: 1 } };
    expect(errorOf(() => evolveCsvRow(row, columns(['a', 'lr0']))).message).toMatch(/hyp "lr0" is missing/);
  });

  it('reads padded cells and padded nan metrics', () => {
    const text = pad([...METRICS_HEADER, 'lr0']) + pad(['nan', 0.5, 0.25, 0.125, 'NaN', 1, 2, '1e-05']);
    const { rows } = parse(text);
    expect(rows).toHaveLength(1);
    expect(valuesOf(rows[0])[0]).toBeNaN();
    expect(valuesOf(rows[0])[4]).toBeNaN();
    expect(valuesOf(rows[0]).slice(1, 4)).toEqual([0.5, 0.25, 0.125]);
    expect(rows[0]?.hyp).toEqual({ lr0: 1e-5 });
  });

  it('matches columns by name, wherever the metric columns are (CRLF, BOM and blank lines too)', () => {
    const reversed = [...METRICS_HEADER].reverse();
    const text = ['momentum', ...reversed, 'lr0'].join(',') + '\n' + ['0.9', '7', '6', '5', '4', '3', '2', '1', '0.01'].join(',') + '\r\n\n';
    const { hypNames, rows } = parse(`\uFEFF${text}`);
    expect(hypNames).toEqual(['momentum', 'lr0']);
    expect(valuesOf(rows[0])).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(Object.keys(rows[0]?.metrics ?? {})).toEqual([...YOLOV5_METRIC_NAMES]);
    expect(Object.entries(rows[0]?.hyp ?? {})).toEqual([['momentum', 0.9], ['lr0', 0.01]]);
  });

  it('names the line and column of a bad cell', () => {
    const text = pad([...METRICS_HEADER, 'lr0', 'lrf']) + pad([0, 0, 0, 0, 0, 0, 0, 0.01, 0.1]) + pad([0, 0, 0, 0, 0, 0, 0, 0.01, 'abc']);
    const error = errorOf(() => parse(text, 'runs/evolve/exp/evolve.csv'));
    expect(error.message).toMatch(/runs\/evolve\/exp\/evolve\.csv: line 3, column "lrf": "abc" is not a number/);
    expect(error.where).toBe('runs/evolve/exp/evolve.csv:3:lrf');
  });

  it('rejects nan in a hyp column, naming it', () => {
    const text = pad([...METRICS_HEADER, 'lr0']) + pad([0, 0, 0, 0, 0, 0, 0, 'nan']);
    expect(errorOf(() => parse(text)).message).toMatch(/line 2, column "lr0".*only metric columns may be nan/);
  });

  it('rejects a ragged row, naming its line', () => {
    const text = pad([...METRICS_HEADER, 'lr0']) + pad([0, 0, 0, 0, 0, 0, 0, 0.01]) + pad([0, 0, 0, 0, 0, 0, 0]);
    expect(errorOf(() => parse(text)).message).toMatch(/line 3 has 7 cells but the header has 8 columns/);
  });

  it('rejects a missing metric column, naming it', () => {
    const header = METRICS_HEADER.filter((name) => name !== 'metrics/mAP_0.5:0.95');
    expect(errorOf(() => parse(pad([...header, 'lr0']))).message).toMatch(/missing metric column\(s\) "metrics\/mAP_0\.5:0\.95"/);
  });

  it('rejects an empty file and a duplicated column', () => {
    expect(errorOf(() => parse('')).message).toMatch(/file is empty/);
    expect(errorOf(() => parse(' \n\n')).message).toMatch(/file is empty/);
    expect(errorOf(() => parse(pad([...METRICS_HEADER, 'lr0', 'lr0']))).message).toMatch(
      /column "lr0" appears twice \(columns 8 and 9\)/,
    );
  });

  it('writes a fitness column last where the columns carry one, and reads it back as the rows\' fitness', () => {
    const withFitness = { ...columns(['a']), fitness: true };
    const own = { metrics: {}, hyp: { a: 2 }, fitness: 0.123456 };
    const fromMetrics = { metrics: metrics([0.5, 0.25, 0.5, 0.25, 0, 0, 0]), hyp: { a: 3 } };
    const text = writeEvolveCsv(withFitness, [own, fromMetrics]);
    expect(text).toBe(pad([...METRICS_HEADER, 'a', 'fitness']) + pad([...Array(7).fill('nan'), '2', '0.12346']) + pad(['0.5', '0.25', '0.5', '0.25', '0', '0', '0', '3', 'nan']));
    const { hypNames, rows } = parse(text);
    expect(hypNames).toEqual(['a']);
    expect(rows.map((row) => row.fitness)).toEqual([0.12346, NaN]);
    expect(valuesOf(rows[1])).toEqual([0.5, 0.25, 0.5, 0.25, 0, 0, 0]);
    // A file without the column: rows have no fitness of their own.
    expect(parse(writeEvolveCsv(columns(['a']), [fromMetrics])).rows[0]).not.toHaveProperty('fitness');
  });

  it('refuses a hyp named like the fitness column when the columns carry one', () => {
    expect(errorOf(() => evolveCsvHeader({ ...columns(['fitness']), fitness: true })).message).toMatch(/a hyp is named "fitness".*rename that hyp/);
  });

  it('accepts a header-only file as an empty population', () => {
    expect(parse(pad([...METRICS_HEADER, 'lr0']))).toEqual({ hypNames: ['lr0'], rows: [] });
  });
});
