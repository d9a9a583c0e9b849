import fc from 'fast-check';
import { load } from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { formatVectors } from './format-vectors.test-support.js';
import { pyYamlFloat } from './py-yaml-float.js';

// What PyYAML's (YAML 1.1) resolver accepts as a float, written from the YAML 1.1 float type's
// definition: digits with a point, optional signed exponent; or .inf/.nan. `5e-07` (no point)
// and `1e+16` are strings to it.
const YAML11_FLOAT = /^[-+]?(?:[0-9][0-9_]*\.[0-9_]*(?:[eE][-+][0-9]+)?|\.[0-9_]+(?:[eE][-+][0-9]+)?)$|^[-+]?\.(?:inf|Inf|INF)$|^\.(?:nan|NaN|NAN)$/;

/** The float PyYAML would load from `text`, or undefined where it would load something else. */
function loadAsPyYaml11Float(text: string): number | undefined {
  if (!YAML11_FLOAT.test(text)) return undefined;
  if (/nan$/i.test(text)) return NaN;
  if (/inf$/i.test(text)) return text.startsWith('-') ? -Infinity : Infinity;
  return Number(text.replaceAll('_', ''));
}

describe('pyYamlFloat', () => {
  // Rows whose value has no point, exponent or special are Python ints, which PyYAML dumps as
  // ints (`3`); pyYamlFloat spells floats (`3.0`), so only the float rows apply.
  const floatVectors = formatVectors().filter((v) => /[.e]|nan|inf/i.test(v.valueRepr));

  it('has the float rows of the vector table to check against', () => {
    expect(floatVectors.length).toBeGreaterThan(200);
  });

  it.each(floatVectors.map((v) => [v.valueRepr, v.pyyamlSafeDump, v.value] as const))(
    'spells %s as PyYAML safe_dump does (%s)',
    (_repr, expected, value) => {
      expect(pyYamlFloat(value)).toBe(expected);
    },
  );

  it('puts a point in exponent forms and keeps .0 on integral values', () => {
    expect(pyYamlFloat(5e-7)).toBe('5.0e-07');
    expect(pyYamlFloat(1e16)).toBe('1.0e+16');
    expect(pyYamlFloat(1.5e300)).toBe('1.5e+300');
    expect(pyYamlFloat(1e15)).toBe('1000000000000000.0');
    expect(pyYamlFloat(123456)).toBe('123456.0');
    expect(pyYamlFloat(0.0001)).toBe('0.0001');
    expect(pyYamlFloat(Number.MIN_VALUE)).toBe('5.0e-324');
  });

  it('spells specials as YAML does', () => {
    expect(pyYamlFloat(NaN)).toBe('.nan');
    expect(pyYamlFloat(Infinity)).toBe('.inf');
    expect(pyYamlFloat(-Infinity)).toBe('-.inf');
    expect(pyYamlFloat(-0)).toBe('-0.0');
  });

  it('always loads back, in PyYAML and in js-yaml, as the same float', () => {
    fc.assert(
      fc.property(fc.double(), (value) => {
        const text = pyYamlFloat(value);
        const special = !Number.isFinite(value);
        expect(text.includes('.') || special).toBe(true);
        expect(loadAsPyYaml11Float(text)).toBe(value); // toBe is Object.is: -0 and NaN exact
        expect(load(text)).toBe(value);
      }),
      { numRuns: 5000 },
    );
  });
});
