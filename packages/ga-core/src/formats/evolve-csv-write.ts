import { GaInputError } from '../ga-input-error.js';
import { metricValues } from '../metrics.js';
import { FITNESS_COLUMN, type EvolveColumns, type EvolveRow } from './evolve-row.js';
import { formatG } from './format-g.js';
import { assertHypName } from './hyp-name.js';

/**
 * evolve.csv exactly as YOLOv5 writes it: the metric names (YOLOv5's 7) then the hyp names,
 * each `%20s`, joined by `,`; each row the metrics then the hyps in column order, each `%20.5g`;
 * then, where the columns say so, each row's fitness.
 */
export function writeEvolveCsv(columns: EvolveColumns, rows: readonly EvolveRow[]): string {
  return evolveCsvHeader(columns) + rows.map((row) => evolveCsvRow(row, columns)).join('');
}

/** The header line, `\n` included. */
export function evolveCsvHeader(columns: EvolveColumns): string {
  columns.hypNames.forEach((name) => {
    assertHypName(name, 'evolve.csv header');
  });
  if (columns.fitness === true && columns.hypNames.includes(FITNESS_COLUMN)) {
    throw new GaInputError(
      `evolve.csv header: a hyp is named "${FITNESS_COLUMN}", the name of the fitness column this trainer's evolve.csv ends with; rename that hyp`,
      { where: `evolve.csv:${FITNESS_COLUMN}` },
    );
  }
  const fitness = columns.fitness === true ? [FITNESS_COLUMN] : [];
  return [...columns.metricNames, ...columns.hypNames, ...fitness].map((name) => name.padStart(20)).join(',') + '\n';
}

/**
 * One data line, `\n` included. A metric the row lacks is written `nan` (a trial that reported
 * only a fitness), and so is a fitness it lacks; hyps of `row` not named in the columns are not written.
 */
export function evolveCsvRow(row: EvolveRow, columns: EvolveColumns): string {
  const { hypNames } = columns;
  const hypValues = hypNames.map((name) => {
    const value = row.hyp[name];
    if (value === undefined) {
      throw new GaInputError(
        `evolve.csv row: hyp "${name}" is missing from the row's hyps (${Object.keys(row.hyp).join(', ')}); every row needs a value for every column`,
        { where: `evolve.csv:${name}` },
      );
    }
    return value;
  });
  const fitness = columns.fitness === true ? [row.fitness ?? Number.NaN] : [];
  return [...metricValues(row.metrics, columns.metricNames), ...hypValues, ...fitness].map((value) => formatG(value)).join(',') + '\n';
}
