import { GaInputError } from '../ga-input-error.js';
import { METRIC_NAMES } from '../metrics.js';
import type { EvolveRow } from './evolve-row.js';
import { formatG } from './format-g.js';
import { assertHypName } from './hyp-name.js';

/**
 * evolve.csv exactly as YOLOv5 writes it: the 7 metric names then the hyp names, each
 * `%20s`, joined by `,`; each row the metrics then the hyps in `hypNames` order, each `%20.5g`.
 */
export function writeEvolveCsv(hypNames: readonly string[], rows: readonly EvolveRow[]): string {
  return evolveCsvHeader(hypNames) + rows.map((row) => evolveCsvRow(row, hypNames)).join('');
}

/** The header line, `\n` included. */
export function evolveCsvHeader(hypNames: readonly string[]): string {
  hypNames.forEach((name) => {
    assertHypName(name, 'evolve.csv header');
  });
  return [...METRIC_NAMES, ...hypNames].map((name) => name.padStart(20)).join(',') + '\n';
}

/** One data line, `\n` included. Hyps of `row` not named in `hypNames` are not written. */
export function evolveCsvRow(row: EvolveRow, hypNames: readonly string[]): string {
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
  return [...row.metrics, ...hypValues].map((value) => formatG(value)).join(',') + '\n';
}
