import { readFixture } from './read-fixture.test-support.js';

/** One row of format-vectors.tsv: Python's own spellings of `value`. */
export interface FormatVector {
  readonly valueRepr: string;
  readonly value: number;
  readonly percent20g: string;
  readonly pyyamlSafeDump: string;
  readonly pythonRound5: string;
}

/** The rows of the shared format-vectors.tsv (header dropped), checked to be well-formed. */
export function formatVectors(): FormatVector[] {
  const [header, ...lines] = readFixture('format-vectors.tsv').split('\n');
  if (header !== 'value_repr\tpercent_20_5g\tpyyaml_safe_dump\tpython_round_5') {
    throw new Error(`format-vectors.tsv: unexpected header ${JSON.stringify(header)}`);
  }
  return lines
    .filter((line) => line !== '')
    .map((line) => {
      const [valueRepr, percent20g, pyyamlSafeDump, pythonRound5, ...extra] = line.split('\t');
      if (valueRepr === undefined || percent20g === undefined || pyyamlSafeDump === undefined || pythonRound5 === undefined || extra.length > 0) {
        throw new Error(`format-vectors.tsv: malformed line ${JSON.stringify(line)}`);
      }
      return { valueRepr, value: Number(valueRepr), percent20g, pyyamlSafeDump, pythonRound5 };
    });
}
