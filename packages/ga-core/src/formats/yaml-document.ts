import { load, loadAll, type LoadOptions } from 'js-yaml';

/**
 * The one YAML document in `text`, or undefined when it holds none (empty, or comments only),
 * so that callers can say "expected a mapping …, got an empty document" with the fix. js-yaml
 * 5's `load` throws on a source without a document; several documents still throw its own
 * "expected a single document" error.
 */
export function loadYamlDocument(text: string, options: LoadOptions): unknown {
  const documents = loadAll(text, options);
  if (documents.length <= 1) return documents[0];
  return load(text, options);
}
