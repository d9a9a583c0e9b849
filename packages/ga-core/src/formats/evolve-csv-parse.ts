import { GaInputError } from '../ga-input-error.js';
import { METRIC_NAMES, type Hyp, type Metrics } from '../metrics.js';
import type { EvolveRow } from './evolve-row.js';
import { assertHypName } from './hyp-name.js';
import { parseCsvNumber, readPaddedCsv } from './padded-csv.js';

/**
 * Reads an evolve.csv written by YOLOv5 (or by {@link writeEvolveCsv}) to seed a population.
 *
 * Columns are matched by name: the 7 metric columns may sit anywhere, every other column is
 * a hyp, in file order. Metrics may be `nan` (YOLOv5 writes it for failed validations); hyps
 * must be finite.
 */
export function parseEvolveCsv(text: string, source = 'evolve.csv'): { hypNames: string[]; rows: EvolveRow[] } {
  const table = readPaddedCsv(text, source, 'evolve.csv');
  const metricColumns = METRIC_NAMES.map((name) => table.columns.indexOf(name));
  const missing = METRIC_NAMES.filter((_, i) => metricColumns[i] === -1);
  if (missing.length > 0) {
    throw new GaInputError(
      `${source}: missing metric column(s) ${missing.map((m) => `"${m}"`).join(', ')}; an evolve.csv needs all of ${METRIC_NAMES.join(', ')}`,
      { where: source },
    );
  }
  const metricNames: readonly string[] = METRIC_NAMES;
  const hypColumns = table.columns
    .map((name, index) => ({ name, index }))
    .filter(({ name }) => !metricNames.includes(name));
  hypColumns.forEach(({ name }) => {
    assertHypName(name, `${source}: header`);
  });

  const rows = table.rows.map(({ line, cells }): EvolveRow => {
    const cell = (index: number, column: string): number =>
      parseCsvNumber(cells[index] ?? '', { source, line, column });
    const metrics = metricColumns.map((index, i) => cell(index, METRIC_NAMES[i] ?? '')) as unknown as Metrics;
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
    return { metrics, hyp };
  });
  return { hypNames: hypColumns.map(({ name }) => name), rows };
}
