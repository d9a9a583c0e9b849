import { GaInputError } from '../ga-input-error.js';
import type { Hyp } from '../metrics.js';
import { assertHypName } from './hyp-name.js';
import { pyYamlFloat } from './py-yaml-float.js';

/**
 * A trial's hyp.yaml for `train.py --hyp`: one `name: value` line per hyp, in the hyp's key
 * order, every value spelled as PyYAML spells a float, so YOLOv5 (PyYAML, YAML 1.1) loads
 * exactly these floats. Integral values are written as floats (`3.0`), as YOLOv5's evolve does.
 */
export function writeHypYaml(hyp: Hyp): string {
  return Object.entries(hyp)
    .map(([name, value]) => {
      assertHypName(name, 'hyp.yaml');
      if (!Number.isFinite(value)) {
        throw new GaInputError(`hyp.yaml: hyp "${name}" is ${value}; a hyp written for training must be a finite number`, {
          where: `hyp.yaml:${name}`,
        });
      }
      return `${name}: ${pyYamlFloat(value)}\n`;
    })
    .join('');
}
