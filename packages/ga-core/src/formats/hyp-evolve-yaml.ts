import { GaInputError } from '../ga-input-error.js';
import { metricValues } from '../metrics.js';
import { FITNESS_COLUMN, type EvolveColumns, type EvolveRow } from './evolve-row.js';
import { formatG } from './format-g.js';
import { assertHypName } from './hyp-name.js';
import { pyYamlFloat } from './py-yaml-float.js';

/**
 * hyp_evolve.yaml byte-for-byte as YOLOv5 writes it: a comment header (best and last
 * generation as 0-based evolve.csv row indices, the metric names and the best row's metrics,
 * `%20.5g`, joined by `, `), a blank line, then the best hyps in `hypNames` order.
 *
 * YOLOv5 takes these values from evolve.csv re-read with pandas, not from memory, so every
 * number here is first rounded to what `%20.5g` printed (1.23456 → 1.2346), then spelled as
 * PyYAML spells a float.
 *
 * Where the columns carry a fitness, the header's metrics end with it (the best row's fitness,
 * as its evolve.csv row ends with it).
 */
export function writeHypEvolveYaml(input: {
  columns: EvolveColumns;
  best: EvolveRow;
  bestIndex: number;
  lastIndex: number;
}): string {
  const { columns, best, bestIndex, lastIndex } = input;
  const { metricNames, hypNames } = columns;
  if (!Number.isInteger(bestIndex) || !Number.isInteger(lastIndex) || bestIndex < 0 || bestIndex > lastIndex) {
    throw new GaInputError(
      `hyp_evolve.yaml: bestIndex ${bestIndex} and lastIndex ${lastIndex} must be row indices with 0 ≤ bestIndex ≤ lastIndex`,
      { where: 'hyp_evolve.yaml' },
    );
  }
  const names = columns.fitness === true ? [...metricNames, FITNESS_COLUMN] : metricNames;
  const values = [...metricValues(best.metrics, metricNames), ...(columns.fitness === true ? [best.fitness ?? Number.NaN] : [])];
  const header =
    '# YOLOv5 Hyperparameter Evolution Results\n' +
    `# Best generation: ${bestIndex}\n` +
    `# Last generation: ${lastIndex}\n` +
    `# ${names.map((name) => name.padStart(20)).join(', ')}\n` +
    `# ${values.map((value) => formatG(asReadBack(value))).join(', ')}\n\n`;

  const body = hypNames.map((name) => {
    assertHypName(name, 'hyp_evolve.yaml');
    const value = best.hyp[name];
    if (value === undefined) {
      throw new GaInputError(`hyp_evolve.yaml: the best row has no hyp "${name}"; it needs a value for every hyp name`, {
        where: `hyp_evolve.yaml:${name}`,
      });
    }
    return `${name}: ${pyYamlFloat(asReadBack(value))}\n`;
  });
  // PyYAML dumps an empty mapping as `{}`.
  return header + (body.length === 0 ? '{}\n' : body.join(''));
}

/** The float pandas reads back from the `%20.5g` cell evolve.csv holds for `value`. */
function asReadBack(value: number): number {
  return Number.isFinite(value) ? Number(formatG(value, 0)) : value;
}
