import { describe, expect, it } from 'vitest';
import { formatVectors } from './format-vectors.test-support.js';
import { PyInt, pyFloatRepr, pyJsonDumps } from './py-json.js';

describe("Python's float repr and json.dumps", () => {
  it("spell every float of format-vectors.tsv as Python's repr does", () => {
    const floats = formatVectors().filter((v) => /[.e]|nan|inf/i.test(v.valueRepr));
    expect(floats.length).toBeGreaterThan(20);
    for (const vector of floats) {
      const expected = vector.valueRepr === 'nan' ? 'NaN' : vector.valueRepr === 'inf' ? 'Infinity' : vector.valueRepr === '-inf' ? '-Infinity' : vector.valueRepr;
      expect(pyFloatRepr(vector.value), vector.valueRepr).toBe(expected);
    }
  });

  it('write ints as ints and floats with a point, with json.dumps separators and ensure_ascii escapes', () => {
    expect(pyJsonDumps({ iteration: new PyInt(3), fitness: 0, hyp: { lr0: 1e-5, close_mosaic: new PyInt(10), box: 7 }, dirs: ['/tmp/é\n', 'x\u007f'] }))
      .toBe('{"iteration": 3, "fitness": 0.0, "hyp": {"lr0": 1e-05, "close_mosaic": 10, "box": 7.0}, "dirs": ["/tmp/\\u00e9\\n", "x\\u007f"]}');
    expect(pyJsonDumps([Number.NaN, -Infinity])).toBe('[NaN, -Infinity]');
  });
});
