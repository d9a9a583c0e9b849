import { CORE_SCHEMA, YAMLException } from 'js-yaml';
import { z } from 'zod';
import { GaInputError } from '../ga-input-error.js';
import type { Hyp } from '../metrics.js';
import { isValidHypName } from './hyp-name.js';
import { loadYamlDocument } from './yaml-document.js';

const hypDocument = z.record(z.string().refine(isValidHypName), z.number());

/**
 * Reads a hyp file such as YOLOv5's `hyp.scratch-low.yaml`: a mapping of hyp name → number,
 * comments allowed (so `# anchors: 3` means anchors is absent). Keeps the file's key order.
 *
 * js-yaml reads YAML 1.2, so `1e-5` is a number here although PyYAML would load it as a
 * string; we accept it. Our writers never produce such spellings.
 */
export function parseHypYaml(text: string, source = 'hyp.yaml'): Hyp {
  let document: unknown;
  try {
    document = loadYamlDocument(text, { filename: source, schema: CORE_SCHEMA });
  } catch (error) {
    if (error instanceof YAMLException) {
      // js-yaml 5 leaves mark out when it has no position to give.
      const line = error.mark === undefined ? undefined : error.mark.line + 1;
      throw new GaInputError(`${source}: YAML syntax error${line === undefined ? '' : ` on line ${line}`}: ${error.reason}`, {
        where: line === undefined ? source : `${source}:${line}`,
        cause: error,
      });
    }
    throw error;
  }
  if (document === null || typeof document !== 'object' || Array.isArray(document)) {
    const got = document === undefined || document === null ? 'an empty document' : Array.isArray(document) ? 'a list' : `the scalar ${JSON.stringify(document)}`;
    throw new GaInputError(`${source}: expected a mapping of hyp name to number (like "lr0: 0.01"), got ${got}`, {
      where: source,
    });
  }

  const parsed = hypDocument.safeParse(document);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const key = String(issue?.path[0] ?? '');
    const value: unknown = (document as Record<string, unknown>)[key];
    const problem =
      issue?.code === 'invalid_key'
        ? `hyp name ${JSON.stringify(key)} is not allowed; use letters, digits, _ . - (starting with a letter or _), and not a YAML 1.1 keyword like yes/no/on/off/null`
        : `hyp "${key}" must be a finite number, got ${describe(value)}`;
    throw new GaInputError(`${source}: ${problem}`, { where: `${source}:${key}`, cause: parsed.error });
  }
  return parsed.data;
}

function describe(value: unknown): string {
  if (value === null) return 'an empty value (null)';
  if (typeof value === 'number') return String(value);
  if (typeof value === 'string') return `the string ${JSON.stringify(value)}`;
  if (typeof value === 'boolean') return `the boolean ${value}`;
  if (Array.isArray(value)) return 'a list';
  return typeof value === 'object' ? 'a mapping' : typeof value;
}
