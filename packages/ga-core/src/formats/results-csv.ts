import { GaInputError } from '../ga-input-error.js';
import { metricRecord, type MetricRecord } from '../metrics.js';
import { formatG } from './format-g.js';
import { parseCsvNumber, readPaddedCsv } from './padded-csv.js';

/** A results table whose chosen row has a nan or inf metric: the run diverged, the file is fine. */
export class NanMetricError extends GaInputError {}

/**
 * The `metricNames` columns of a per-epoch results table (YOLOv5's results.csv, padded with
 * spaces): from the FIRST row with the highest epoch. YOLOv5 may append a second row for the
 * final epoch (a final validation), and `--exist-ok` on a reused run directory appends a whole
 * second run, so neither "last row" nor "first row" is right. A NaN or unreadable metric is an
 * error: a NaN trial must be recorded as failed. Columns named in `optional` may be absent (NaN
 * in the record): a model family that logs other losses still has the metrics that count.
 */
export function parseResultsCsv(
  text: string,
  metricNames: readonly string[],
  source = 'results.csv',
  options: { optional?: readonly string[] } = {},
): MetricRecord {
  const table = readPaddedCsv(text, source, 'results.csv');
  const optional = options.optional ?? [];
  const column = (name: string): number => {
    const index = table.columns.indexOf(name);
    if (index === -1 && optional.includes(name)) return -1;
    if (index === -1) {
      throw new GaInputError(
        `${source}: no "${name}" column (columns: ${table.columns.join(', ')}); expected a results.csv with epoch and ${metricNames.join(', ')}`,
        { where: source },
      );
    }
    return index;
  };
  const epochColumn = column('epoch');
  const metricColumns = metricNames.map(column);

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
  const values = metricColumns.map((index, i) => {
    const name = metricNames[i] ?? '';
    if (index === -1) return Number.NaN;
    const value = parseCsvNumber(cells[index] ?? '', { source, line, column: name });
    if (!Number.isFinite(value)) {
      throw new NanMetricError(`${source}: line ${line}, column "${name}" is ${cells[index] ?? ''}; the training produced no usable metrics`, {
        where: `${source}:${line}:${name}`,
      });
    }
    return value;
  });
  return metricRecord(metricNames, values);
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
