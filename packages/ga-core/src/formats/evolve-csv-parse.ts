import { GaInputError } from '../ga-input-error.js';
import { metricRecord, type Hyp } from '../metrics.js';
import { FITNESS_COLUMN, type EvolveRow } from './evolve-row.js';
import { assertHypName } from './hyp-name.js';
import { parseCsvNumber, readPaddedCsv } from './padded-csv.js';

/**
 * Reads an evolve.csv written by YOLOv5 (or by {@link writeEvolveCsv}) to seed a population.
 *
 * Columns are matched by name: the metric columns (`metricNames`, a trainer profile's) may sit
 * anywhere, a `fitness` column (ours, for trials that reported a fitness of their own) gives
 * each row's `fitness`, every other column is a hyp, in file order. Metrics and fitness may be
 * `nan` (YOLOv5 writes it for failed validations); hyps must be finite.
 */
export function parseEvolveCsv(text: string, metricNames: readonly string[], source = 'evolve.csv'): { hypNames: string[]; rows: EvolveRow[] } {
  const table = readPaddedCsv(text, source, 'evolve.csv');
  const metricColumns = metricNames.map((name) => table.columns.indexOf(name));
  const missing = metricNames.filter((_, i) => metricColumns[i] === -1);
  if (missing.length > 0) {
    throw new GaInputError(
      `${source}: missing metric column(s) ${missing.map((m) => `"${m}"`).join(', ')}; an evolve.csv needs all of ${metricNames.join(', ')}`,
      { where: source },
    );
  }
  const fitnessColumn = table.columns.indexOf(FITNESS_COLUMN);
  const hypColumns = table.columns
    .map((name, index) => ({ name, index }))
    .filter(({ name }) => !metricNames.includes(name) && name !== FITNESS_COLUMN);
  hypColumns.forEach(({ name }) => {
    assertHypName(name, `${source}: header`);
  });

  const rows = table.rows.map(({ line, cells }): EvolveRow => {
    const cell = (index: number, column: string): number =>
      parseCsvNumber(cells[index] ?? '', { source, line, column });
    const metrics = metricRecord(metricNames, metricColumns.map((index, i) => cell(index, metricNames[i] ?? '')));
    const hyp: Hyp = Object.fromEntries(
      hypColumns.map(({ name, index }) => {
        const value = cell(index, name);
        if (!Number.isFinite(value)) {
          throw new GaInputError(
            `${source}: line ${line}, column "${name}": hyp value ${cells[index] ?? ''} is not finite; only metric columns may be nan`,
            { where: `${source}:${line}:${name}` },
          );
        }
        return [name, value];
      }),
    );
    return fitnessColumn === -1 ? { metrics, hyp } : { metrics, hyp, fitness: cell(fitnessColumn, FITNESS_COLUMN) };
  });
  return { hypNames: hypColumns.map(({ name }) => name), rows };
}
