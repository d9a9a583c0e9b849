import { GaInputError } from '../ga-input-error.js';
import type { Hyp } from '../metrics.js';
import { assertHypName } from './hyp-name.js';
import { pyYamlFloat } from './py-yaml-float.js';

/** A setting's text as a YAML scalar that reads back as that same string (quoted where YAML would read another type). */
function yamlString(text: string): string {
  const plain = /^[A-Za-z_][A-Za-z0-9_.\-/]*$/.test(text) && !/^(?:y|n|yes|no|on|off|true|false|null|nan|inf)$/i.test(text);
  return plain ? text : JSON.stringify(text);
}

/**
 * `best_hyperparameters.yaml` in the shape Ultralytics' Tuner leaves it: `#` comment lines,
 * then (no blank line) the best hyps in the campaign's order, as PyYAML dumps them (floats in
 * its spelling, integer hyps as ints), so that `yolo train cfg=best_hyperparameters.yaml`
 * reads them back as the same numbers. `comments` are one line each, without the `# `.
 * `settings` follow the hyps: what every trial trained with besides them (the optimizer), so
 * a retrain with the file trains as the trials did.
 */
export function writeBestHyperparametersYaml(input: { comments: readonly string[]; hyp: Hyp; integerHyps: readonly string[]; settings?: readonly (readonly [string, string])[] }): string {
  const header = input.comments.map((line) => `# ${line.replace(/[\r\n]+/g, ' ')}\n`).join('');
  const body = Object.entries(input.hyp).map(([name, value]) => {
    assertHypName(name, 'best_hyperparameters.yaml');
    if (!Number.isFinite(value)) {
      throw new GaInputError(`best_hyperparameters.yaml: hyp "${name}" is ${value}; only finite numbers can be written`, { where: `best_hyperparameters.yaml:${name}` });
    }
    return `${name}: ${input.integerHyps.includes(name) && Number.isInteger(value) ? String(value) : pyYamlFloat(value)}\n`;
  });
  for (const [name, value] of input.settings ?? []) {
    assertHypName(name, 'best_hyperparameters.yaml');
    if (Object.hasOwn(input.hyp, name)) throw new GaInputError(`best_hyperparameters.yaml: "${name}" is both a hyp and a setting`, { where: `best_hyperparameters.yaml:${name}` });
    body.push(`${name}: ${yamlString(value)}\n`);
  }
  return header + (body.length === 0 ? '{}\n' : body.join(''));
}
