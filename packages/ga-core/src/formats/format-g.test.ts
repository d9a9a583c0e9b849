import { describe, expect, it } from 'vitest';
import { formatG } from './format-g.js';
import { formatVectors } from './format-vectors.test-support.js';

describe('formatG', () => {
  const vectors = formatVectors();

  it('has the whole vector table to check against', () => {
    expect(vectors.length).toBeGreaterThan(200);
  });

  it.each(vectors.map((v) => [v.valueRepr, v.percent20g, v.value] as const))(
    "prints %s as Python's '%%20.5g' does (%s)",
    (_repr, expected, value) => {
      expect(formatG(value)).toBe(expected);
    },
  );

  it('rounds exact binary ties half to even, unlike toPrecision', () => {
    expect((12344.5).toPrecision(5)).toBe('12345'); // the trap
    expect(formatG(12344.5, 0)).toBe('12344');
    expect(formatG(12345.5, 0)).toBe('12346');
    expect(formatG(0.125, 0, 2)).toBe('0.12');
    expect(formatG(0.375, 0, 2)).toBe('0.38');
    expect(formatG(-2.5, 0, 1)).toBe('-2');
  });

  it('rounds decimal "ties" by their exact binary value, which lies off the tie', () => {
    // 0.15 is stored as 0.14999999999999999445…, 2.675 as 2.67499999999999982236…,
    // 0.45 as 0.45000000000000001110…
    expect(formatG(0.15, 0, 1)).toBe('0.1');
    expect(formatG(2.675, 0, 3)).toBe('2.67');
    expect(formatG(0.45, 0, 1)).toBe('0.5');
  });

  it('carries into the next power of ten and switches notation there', () => {
    expect(formatG(99999.5, 0)).toBe('1e+05');
    expect(formatG(9.99995e-5, 0)).toBe('9.9999e-05'); // stored just below the tie
    expect(formatG(0.000099999999, 0)).toBe('0.0001');
  });

  it('spells specials and extremes as Python does', () => {
    expect(formatG(NaN)).toBe(' '.repeat(17) + 'nan');
    expect(formatG(Infinity, 0)).toBe('inf');
    expect(formatG(-Infinity, 0)).toBe('-inf');
    expect(formatG(-0, 0)).toBe('-0');
    expect(formatG(Number.MIN_VALUE, 0)).toBe('4.9407e-324');
    expect(formatG(Number.MAX_VALUE, 0)).toBe('1.7977e+308');
    expect(formatG(1e100, 0)).toBe('1e+100');
  });

  it('pads to the width without truncating, and honours the precision', () => {
    expect(formatG(0.5, 6)).toBe('   0.5');
    expect(formatG(-1.2345678e-7, 3)).toBe('-1.2346e-07');
    expect(formatG(3.14159, 0, 3)).toBe('3.14');
    expect(formatG(1234.5, 0, 0)).toBe('1e+03'); // precision 0 means 1, as in C
  });
});
