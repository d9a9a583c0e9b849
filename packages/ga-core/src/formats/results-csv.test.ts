import { describe, expect, it } from 'vitest';
import { GaInputError } from '../ga-input-error.js';
import { metricRecord } from '../metrics.js';
import { YOLOV5_METRIC_NAMES as METRIC_NAMES, YOLOV5_RESULTS_COLUMNS } from '../trainers/yolov5.js';
import { readFixture } from './read-fixture.test-support.js';
import { parseResultsCsv as parseWith, resultsCsvHeader, resultsCsvRow, writeResultsCsv } from './results-csv.js';

const parseResultsCsv = (text: string, source?: string) => parseWith(text, METRIC_NAMES, source);
const seven = (values: number[]) => metricRecord(METRIC_NAMES, values);

function errorOf(run: () => unknown): GaInputError {
  try {
    run();
  } catch (error) {
    if (error instanceof GaInputError) return error;
    throw error;
  }
  throw new Error('expected a GaInputError, nothing was thrown');
}

/** A results.csv row: epoch, 3 train losses, the 7 metrics, 3 learning rates. */
const row = (epoch: number, metrics: readonly number[]): Record<string, number> =>
  Object.fromEntries(YOLOV5_RESULTS_COLUMNS.map((name, i) => [name, i === 0 ? epoch : i >= 4 && i < 11 ? (metrics[i - 4] ?? 0) : 0.1]));

describe('parseResultsCsv', () => {
  it("takes the last epoch's metrics from YOLOv5's own file", () => {
    expect(parseResultsCsv(readFixture('results.csv'))).toEqual(seven([0.0038854, 0.51471, 0.0042443, 0.00083722, 0.11598, 0.0080742, 0.027078]));
  });

  it('takes the FIRST row with the highest epoch when the final epoch appears twice', () => {
    const text = writeResultsCsv([row(0, [0, 0, 0, 0, 0, 0, 0]), row(1, [1, 2, 3, 4, 5, 6, 7]), row(1, [9, 9, 9, 9, 9, 9, 9])], YOLOV5_RESULTS_COLUMNS);
    expect(parseResultsCsv(text)).toEqual(seven([1, 2, 3, 4, 5, 6, 7]));
  });

  it('takes the highest epoch, not the last row, when a reused directory was appended to', () => {
    const first = writeResultsCsv([row(0, [0, 0, 0, 0, 0, 0, 0]), row(1, [0.5, 0.5, 0.5, 0.5, 1, 1, 1])], YOLOV5_RESULTS_COLUMNS);
    const appended = resultsCsvRow(row(0, [0.1, 0.1, 0.1, 0.1, 0, 0, 0]), YOLOV5_RESULTS_COLUMNS);
    expect(parseResultsCsv(first + appended)).toEqual(seven([0.5, 0.5, 0.5, 0.5, 1, 1, 1]));
  });

  it('finds the columns by name in any order', () => {
    const columns = [...[...METRIC_NAMES].reverse(), 'epoch'];
    const text = columns.join(',') + '\n' + '7,6,5,4,3,2,1,0\n';
    expect(parseResultsCsv(text)).toEqual(seven([1, 2, 3, 4, 5, 6, 7]));
  });

  it('rejects an empty file and a header without rows', () => {
    expect(errorOf(() => parseResultsCsv('', 'runs/t1/results.csv')).message).toMatch(/^runs\/t1\/results\.csv: file is empty/);
    expect(errorOf(() => parseResultsCsv(resultsCsvHeader(YOLOV5_RESULTS_COLUMNS))).message).toMatch(/no epoch rows/);
  });

  it('names a missing column', () => {
    const columns = YOLOV5_RESULTS_COLUMNS.filter((name) => name !== 'val/obj_loss');
    const text = writeResultsCsv([row(0, [1, 1, 1, 1, 1, 1, 1])], columns);
    expect(errorOf(() => parseResultsCsv(text)).message).toMatch(/no "val\/obj_loss" column/);
    expect(errorOf(() => parseResultsCsv('a,b\n1,2\n')).message).toMatch(/no "epoch" column/);
  });

  it('rejects a nan metric, naming line and column', () => {
    const text = writeResultsCsv([row(0, [0, 0, 0, 0, 0, 0, 0]), row(1, [0.5, 0.5, NaN, 0.5, 1, 1, 1])], YOLOV5_RESULTS_COLUMNS);
    expect(text).toContain('                 nan,');
    const error = errorOf(() => parseResultsCsv(text, 'r.csv'));
    expect(error.message).toMatch(/^r\.csv: line 3, column "metrics\/mAP_0\.5" is nan/);
    expect(error.where).toBe('r.csv:3:metrics/mAP_0.5');
  });

  it('rejects an unparseable value and a ragged row, naming the line', () => {
    const good = writeResultsCsv([row(0, [1, 1, 1, 1, 1, 1, 1])], YOLOV5_RESULTS_COLUMNS);
    const garbled = good.replace(/ 1,/, ' 1#x,');
    expect(errorOf(() => parseResultsCsv(garbled)).message).toMatch(/line 2, column "metrics\/precision": "1#x" is not a number/);
    const truncated = good + '                   1,             0.12503\n';
    expect(errorOf(() => parseResultsCsv(truncated)).message).toMatch(/line 3 has 2 cells but the header has 14 columns/);
    expect(errorOf(() => parseResultsCsv('\u0000\u0001garbage\n\u00ff')).message).toMatch(/no "epoch" column/);
  });
});

describe('writeResultsCsv', () => {
  it("writes YOLOv5's layout: the fixture's rows come back byte for byte", () => {
    const fixture = readFixture('results.csv');
    const [header = '', ...lines] = fixture.trimEnd().split('\n');
    const columns = header.split(',').map((name) => name.trim());
    expect(columns).toEqual([...YOLOV5_RESULTS_COLUMNS]);
    const rows = lines.map((line) => Object.fromEntries(line.split(',').map((cell, i) => [columns[i] ?? '', Number(cell)])));
    expect(writeResultsCsv(rows, columns)).toBe(fixture);
  });

  it('names a column a row has no value for', () => {
    expect(errorOf(() => resultsCsvRow({ epoch: 0 }, ['epoch', 'x/lr0'])).message).toMatch(/no value for column "x\/lr0"/);
  });
});
