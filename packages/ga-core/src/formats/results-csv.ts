import { GaInputError } from '../ga-input-error.js';
import { METRIC_NAMES, type Metrics } from '../metrics.js';
import { formatG } from './format-g.js';
import { parseCsvNumber, readPaddedCsv } from './padded-csv.js';

/** The columns of a YOLOv5 v7.0 detection run's results.csv, in order. */
export const YOLOV5_RESULTS_COLUMNS = [
  'epoch',
  'train/box_loss',
  'train/obj_loss',
  'train/cls_loss',
  ...METRIC_NAMES,
  'x/lr0',
  'x/lr1',
  'x/lr2',
] as const;

/**
 * The 7 evolve metrics of a YOLOv5 results.csv: from the FIRST row with the highest epoch.
 * YOLOv5 may append a second row for the final epoch (a final validation), and `--exist-ok` on
 * a reused run directory appends a whole second run, so neither "last row" nor "first row" is
 * right. A NaN or unreadable metric is an error: a NaN trial must be recorded as failed.
 */
export function parseResultsCsv(text: string, source = 'results.csv'): Metrics {
  const table = readPaddedCsv(text, source, 'results.csv');
  const column = (name: string): number => {
    const index = table.columns.indexOf(name);
    if (index === -1) {
      throw new GaInputError(
        `${source}: no "${name}" column (columns: ${table.columns.join(', ')}); expected a YOLOv5 results.csv with epoch and the 7 evolve metrics`,
        { where: source },
      );
    }
    return index;
  };
  const epochColumn = column('epoch');
  const metricColumns = METRIC_NAMES.map(column);

  let chosen: { line: number; cells: readonly string[] } | undefined;
  let highestEpoch = -Infinity;
  for (const row of table.rows) {
    const epoch = parseCsvNumber(row.cells[epochColumn] ?? '', { source, line: row.line, column: 'epoch' });
    if (!Number.isFinite(epoch)) {
      throw new GaInputError(`${source}: line ${row.line}, column "epoch": ${epoch} is not an epoch number`, {
        where: `${source}:${row.line}:epoch`,
      });
    }
    if (epoch > highestEpoch) {
      highestEpoch = epoch;
      chosen = row;
    }
  }
  if (chosen === undefined) {
    throw new GaInputError(`${source}: has a header but no epoch rows; the training wrote no results`, { where: source });
  }

  const { line, cells } = chosen;
  const metrics = metricColumns.map((index, i) => {
    const name = METRIC_NAMES[i] ?? '';
    const value = parseCsvNumber(cells[index] ?? '', { source, line, column: name });
    if (!Number.isFinite(value)) {
      throw new GaInputError(`${source}: line ${line}, column "${name}" is ${cells[index] ?? ''}; the training produced no usable metrics`, {
        where: `${source}:${line}:${name}`,
      });
    }
    return value;
  });
  // METRIC_NAMES has 7 entries, so `metrics` does too.
  return metrics as unknown as Metrics;
}

/** A whole results.csv in YOLOv5's layout: `%20s` header, `%20.5g` values, joined by `,`. */
export function writeResultsCsv(rows: readonly Readonly<Record<string, number>>[], columns: readonly string[]): string {
  return resultsCsvHeader(columns) + rows.map((row) => resultsCsvRow(row, columns)).join('');
}

/** The header line, `\n` included (YOLOv5 writes it only when the file does not exist yet). */
export function resultsCsvHeader(columns: readonly string[]): string {
  columns.forEach((name) => {
    if (name.trim() === '' || /[,\n\r]/.test(name)) {
      throw new GaInputError(`results.csv: column name ${JSON.stringify(name)} must be non-empty without commas or line breaks`, {
        where: 'results.csv',
      });
    }
  });
  return columns.map((name) => name.padStart(20)).join(',') + '\n';
}

/** One epoch's line, `\n` included; every column must have a value. */
export function resultsCsvRow(row: Readonly<Record<string, number>>, columns: readonly string[]): string {
  return (
    columns
      .map((name) => {
        const value = row[name];
        if (value === undefined) {
          throw new GaInputError(`results.csv row: no value for column "${name}"`, { where: `results.csv:${name}` });
        }
        return formatG(value);
      })
      .join(',') + '\n'
  );
}
