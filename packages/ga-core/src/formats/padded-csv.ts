import { GaInputError } from '../ga-input-error.js';

/**
 * The comma-separated, space-padded tables YOLOv5 writes (evolve.csv, results.csv): no
 * quoting, cells right-aligned with spaces, `\n` (or `\r\n`) line ends, blank lines ignored.
 */
export interface PaddedCsv {
  /** Trimmed column names, unique and non-empty. */
  readonly columns: readonly string[];
  /** Data rows: 1-based line number in the file, trimmed cells (as many as columns). */
  readonly rows: readonly { readonly line: number; readonly cells: readonly string[] }[];
}

/** Splits and checks the table's shape; `what` names the file kind in errors (`evolve.csv`). */
export function readPaddedCsv(text: string, source: string, what: string): PaddedCsv {
  // A byte-order mark (a CSV saved by a Windows editor) would glue itself to the first name.
  const lines = text.replace(/^\uFEFF/, '').split('\n').map((line, index) => ({
    line: index + 1,
    cells: line.replace(/\r$/, '').split(',').map((cell) => cell.trim()),
  }));
  const nonBlank = lines.filter(({ cells }) => !(cells.length === 1 && cells[0] === ''));
  const [header, ...rows] = nonBlank;
  if (header === undefined) {
    throw new GaInputError(`${source}: file is empty; expected a ${what} header line of comma-separated column names`, {
      where: source,
    });
  }

  const seen = new Map<string, number>();
  header.cells.forEach((name, index) => {
    if (name === '') {
      throw new GaInputError(`${source}: line ${header.line}, column ${index + 1} of the ${what} header is empty; every column needs a name`, {
        where: `${source}:${header.line}`,
      });
    }
    const first = seen.get(name);
    if (first !== undefined) {
      throw new GaInputError(
        `${source}: line ${header.line}: column "${name}" appears twice (columns ${first + 1} and ${index + 1}); column names must be unique`,
        { where: `${source}:${header.line}` },
      );
    }
    seen.set(name, index);
  });

  for (const row of rows) {
    if (row.cells.length !== header.cells.length) {
      throw new GaInputError(
        `${source}: line ${row.line} has ${row.cells.length} cells but the header has ${header.cells.length} columns; the row is truncated or has stray commas`,
        { where: `${source}:${row.line}` },
      );
    }
  }
  return { columns: header.cells, rows };
}

const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/**
 * One trimmed cell as a number: a decimal (`0.5`, `1e-05`, `1.2346e+05`) or what `%g` prints
 * for specials (`nan`, `inf`, `-inf`, any case). Anything else is a GaInputError naming the
 * line and column.
 */
export function parseCsvNumber(cell: string, at: { source: string; line: number; column: string }): number {
  if (DECIMAL.test(cell)) return Number(cell);
  const lower = cell.toLowerCase();
  if (lower === 'nan' || lower === '-nan' || lower === '+nan') return NaN;
  if (lower === 'inf' || lower === '+inf' || lower === 'infinity') return Infinity;
  if (lower === '-inf' || lower === '-infinity') return -Infinity;
  throw new GaInputError(
    `${at.source}: line ${at.line}, column "${at.column}": ${JSON.stringify(cell)} is not a number; expected a decimal like 0.0123 or 1e-05, or nan`,
    { where: `${at.source}:${at.line}:${at.column}` },
  );
}
