import { pyYamlFloat } from './py-yaml-float.js';

/**
 * Python's `repr` of a float, which `json.dumps` writes: shortest round-trip digits, exponent
 * form below 1e-4 and from 1e16 (`1e-05`, `1.5e-05`, `1e+16`), integral values with `.0`;
 * `NaN`, `Infinity`, `-Infinity` for the specials (json.dumps' default, allow_nan).
 */
export function pyFloatRepr(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Infinity) return 'Infinity';
  if (value === -Infinity) return '-Infinity';
  // PyYAML's spelling is repr with `.0` forced into an exponent form's mantissa.
  return pyYamlFloat(value).replace(/\.0e/, 'e');
}

/** A string as `json.dumps` writes it (ensure_ascii: every character outside space..~ escaped). */
export function pyJsonString(text: string): string {
  return JSON.stringify(text).replace(/[^\x20-\x7e]/g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** A Python int in a {@link PyJson} value: a plain number is written as a Python float. */
export class PyInt {
  constructor(readonly value: number) {}
}

/** A JSON value as Python holds it: numbers are floats (`10.0`), {@link PyInt}s ints (`10`). */
export type PyJson = number | PyInt | string | readonly PyJson[] | { readonly [key: string]: PyJson };

/** `json.dumps(value)` with its defaults: `, ` and `: ` separators, keys in insertion order. */
export function pyJsonDumps(value: PyJson): string {
  if (typeof value === 'number') return pyFloatRepr(value);
  if (typeof value === 'string') return pyJsonString(value);
  if (value instanceof PyInt) return String(value.value);
  if (Array.isArray(value)) return `[${(value as readonly PyJson[]).map(pyJsonDumps).join(', ')}]`;
  const record = value as { readonly [key: string]: PyJson };
  return `{${Object.keys(record).map((key) => `${pyJsonString(key)}: ${pyJsonDumps(record[key] as PyJson)}`).join(', ')}}`;
}
