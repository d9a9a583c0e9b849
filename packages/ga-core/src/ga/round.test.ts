import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readFixture } from './fixture.test-support.js';
import { pyRound } from './round.js';

const vectors = readFixture('format-vectors.tsv')
  .trimEnd()
  .split('\n')
  .slice(1)
  .map((line) => line.split('\t'));

/**
 * Reference: Python's algorithm spelled out with exact rationals. value = m·2^e exactly; round
 * m·2^e·10^d to an integer half-even; convert q·10^-d back with JS's correctly rounded parser.
 */
function exactRound(value: number, digits: number): number {
  if (!Number.isFinite(value) || value === 0) return value;
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, value);
  const bits = view.getBigUint64(0);
  const exponentBits = Number((bits >> 52n) & 0x7ffn);
  const fraction = bits & ((1n << 52n) - 1n);
  const m = exponentBits === 0 ? fraction : fraction | (1n << 52n);
  const e = (exponentBits === 0 ? 1 : exponentBits) - 1075;
  const numerator = m * 2n ** BigInt(Math.max(e, 0)) * 10n ** BigInt(digits);
  const denominator = 2n ** BigInt(Math.max(-e, 0));
  let q = numerator / denominator;
  const twiceRemainder = 2n * (numerator - q * denominator);
  if (twiceRemainder > denominator || (twiceRemainder === denominator && q % 2n === 1n)) q += 1n;
  return Number(`${value < 0 ? '-' : ''}${q.toString()}e-${digits}`);
}

describe('pyRound', () => {
  it('has the fixture rows to check', () => {
    expect(vectors.length).toBeGreaterThan(200);
  });

  it.each(vectors)('round(%s, 5) as Python prints it: column 4', (valueRepr, _g, _yaml, rounded) => {
    const value = Number(valueRepr);
    const expected = Number(rounded);
    expect(Number.isNaN(value) || Number.isNaN(expected)).toBe(false);
    // Object.is tells -0.0 from 0.0, which Python keeps (round(-1e-07, 5) == -0.0).
    expect(Object.is(pyRound(value, 5), expected)).toBe(true);
  });

  it('breaks exact binary ties to even, unlike toFixed', () => {
    expect(pyRound(0.015625, 5)).toBe(0.01562); // 1/64: a true tie at 5 decimals
    expect((0.015625).toFixed(5)).toBe('0.01563');
    expect(pyRound(-0.015625, 5)).toBe(-0.01562);
    expect(pyRound(0.046875, 5)).toBe(0.04688); // 3/64: tie, the even neighbour is up
    expect(pyRound(0.0625, 3)).toBe(0.062);
    expect(pyRound(12344.5, 0)).toBe(12344);
    expect(pyRound(12345.5, 0)).toBe(12346);
    expect(Object.is(pyRound(-0.5, 0), -0)).toBe(true);
  });

  it('rounds the exact binary value, not its short decimal spelling', () => {
    expect(pyRound(1.5e-5, 5)).toBe(2e-5); // 1.5e-05 is slightly above the tie in binary
    expect(pyRound(2.675, 2)).toBe(2.67); // 2.675 is slightly below the tie in binary
    expect(pyRound(5e-7, 5)).toBe(0);
  });

  it('passes NaN, ±Infinity and integers through', () => {
    expect(pyRound(Number.NaN, 5)).toBeNaN();
    expect(pyRound(Number.POSITIVE_INFINITY, 5)).toBe(Number.POSITIVE_INFINITY);
    expect(pyRound(7e20, 5)).toBe(7e20);
    expect(pyRound(1e300, 5)).toBe(1e300);
    expect(Object.is(pyRound(-0, 5), -0)).toBe(true);
  });

  it('rejects digits outside [0, 100]', () => {
    expect(() => pyRound(1, -1)).toThrow(RangeError);
    expect(() => pyRound(1, 1.5)).toThrow(/digits/);
  });

  it('agrees with exact rational rounding on random doubles', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), fc.integer({ min: 0, max: 12 }), (v, d) => {
        expect(Object.is(pyRound(v, d), exactRound(v, d))).toBe(true);
      }),
      { numRuns: 5000, seed: 20240601 },
    );
  });

  it('agrees with exact rational rounding on dyadic ties and their neighbours', () => {
    fc.assert(
      fc.property(fc.integer({ min: -2_000_000, max: 2_000_000 }), fc.integer({ min: 0, max: 8 }), fc.integer({ min: -1, max: 1 }), (j, d, nudge) => {
        const tie = (2 * j + 1) / 2 ** (d + 1);
        const v = nudge === 0 ? tie : nudge > 0 ? nextUp(tie) : -nextUp(-tie);
        expect(Object.is(pyRound(v, d), exactRound(v, d))).toBe(true);
      }),
      { numRuns: 5000, seed: 7 },
    );
  });
});

function nextUp(x: number): number {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  const bits = view.getBigInt64(0);
  view.setBigInt64(0, x >= 0 ? bits + 1n : bits - 1n);
  return x === 0 ? Number.MIN_VALUE : view.getFloat64(0);
}
