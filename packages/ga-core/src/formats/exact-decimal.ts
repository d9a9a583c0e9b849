/**
 * Correct decimal rounding of a double, done on its exact binary value with BigInt.
 *
 * Every finite double is M·2^E exactly, so its digits can be computed without the
 * approximations of `toPrecision` (which rounds exact ties away from zero, where C's printf
 * and Python round half to even).
 */

/** A finite, non-zero |double| as the exact rational mantissa·2^exponent2. */
interface BinaryValue {
  readonly mantissa: bigint;
  readonly exponent2: number;
}

const scratch = new DataView(new ArrayBuffer(8));

function decompose(magnitude: number): BinaryValue {
  scratch.setFloat64(0, magnitude);
  const high = scratch.getUint32(0);
  const low = scratch.getUint32(4);
  const biasedExponent = (high >>> 20) & 0x7ff;
  const fraction = (BigInt(high & 0xfffff) << 32n) | BigInt(low);
  return biasedExponent === 0
    ? { mantissa: fraction, exponent2: -1074 } // subnormal
    : { mantissa: fraction | (1n << 52n), exponent2: biasedExponent - 1075 };
}

/**
 * `|value|` rounded half-to-even to `precision` significant digits:
 * |value| ≈ digits · 10^(exponent10 − precision + 1), with `digits` exactly `precision` long.
 * `value` must be finite and non-zero.
 */
export function roundSignificant(
  value: number,
  precision: number,
): { digits: string; exponent10: number } {
  const { mantissa, exponent2 } = decompose(Math.abs(value));
  const lowest = 10n ** BigInt(precision - 1);
  const highest = lowest * 10n;
  // log10 can be off by one near powers of ten; the loop corrects the estimate.
  let exponent10 = Math.floor(Math.log10(Math.abs(value)));
  for (;;) {
    let numerator = mantissa;
    let denominator = 1n;
    if (exponent2 >= 0) numerator <<= BigInt(exponent2);
    else denominator <<= BigInt(-exponent2);
    const shift = precision - 1 - exponent10;
    if (shift >= 0) numerator *= 10n ** BigInt(shift);
    else denominator *= 10n ** BigInt(-shift);

    let quotient = numerator / denominator;
    if (quotient >= highest) {
      exponent10 += 1;
      continue;
    }
    if (quotient < lowest) {
      exponent10 -= 1;
      continue;
    }
    const twiceRemainder = 2n * (numerator % denominator);
    if (twiceRemainder > denominator || (twiceRemainder === denominator && quotient % 2n === 1n)) {
      quotient += 1n;
    }
    if (quotient === highest) {
      quotient = lowest;
      exponent10 += 1;
    }
    return { digits: quotient.toString(), exponent10 };
  }
}
