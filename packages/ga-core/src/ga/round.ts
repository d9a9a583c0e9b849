/**
 * Python's `round(value, digits)` for floats, which YOLOv5 applies to every mutated hyp
 * (`round(v, 5)`): the EXACT binary value is rounded to `digits` decimals, ties to even, and
 * the decimal result is converted back to the nearest double.
 *
 * `Number.prototype.toFixed` already rounds the exact binary value (not a decimal
 * approximation of it) but breaks exact ties away from zero. An exact tie at d = `digits`
 * decimals means value = (2k+1) / (2·10^d). A double is a dyadic rational, so 5^d must divide
 * 2k+1 and value = j / 2^(d+1) with j odd; conversely every such value is a tie. So: tie ⇔
 * value·2^(d+1) is an odd integer. Scaling by a power of two is exact in binary floating
 * point, so ties are detected exactly and cheaply, and only those are re-rounded to even.
 *
 * @param digits an integer in [0, 100] (the range of `toFixed`).
 */
export function pyRound(value: number, digits: number): number {
  if (!Number.isInteger(digits) || digits < 0 || digits > 100) {
    throw new RangeError(`pyRound: digits must be an integer in [0, 100], got ${String(digits)}`);
  }
  // Integers (including ±0 and every |value| ≥ 2^52) are already rounded; NaN and ±Infinity
  // pass through like in Python. This also keeps toFixed away from its exponent form (≥ 1e21).
  if (!Number.isFinite(value) || Number.isInteger(value)) return value;

  // Fast path. y = value·10^d is off the exact product by at most |y|·2^-53 (10^d is exact
  // for d ≤ 22), and y − ⌊y⌋ is exact below 2^52. Unless the fractional part lies within
  // that error of ½, the nearest integer to y is the nearest to the exact product, and
  // q / 10^d (a correctly rounded division of exact integers) is the double nearest to the
  // decimal q·10^-d — which is what Python returns.
  if (digits <= 22) {
    const scale = 10 ** digits;
    const y = value * scale;
    const magnitude = Math.abs(y);
    if (magnitude < 2 ** 52) {
      const floor = Math.floor(y);
      const fraction = y - floor;
      if (Math.abs(fraction - 0.5) > magnitude * 2 ** -51) {
        const q = fraction < 0.5 ? floor : floor + 1;
        // Python keeps the sign of a negative value that rounds to zero.
        return q === 0 ? (value < 0 ? -0 : 0) : q / scale;
      }
    }
  }

  // Slow path, near a tie:
  const awayFromZero = value.toFixed(digits);
  const scaled = value * 2 ** (digits + 1);
  const isTie = Number.isInteger(scaled) && scaled % 2 !== 0;
  if (!isTie) return Number(awayFromZero);

  // Tie: toFixed chose the neighbour farther from zero. Keep it when its last digit is even,
  // otherwise step one unit (10^-digits) back toward zero.
  const lastDigit = awayFromZero.charCodeAt(awayFromZero.length - 1) - 48;
  if (lastDigit % 2 === 0) return Number(awayFromZero);
  const negative = awayFromZero.startsWith('-');
  const units = BigInt(awayFromZero.replace('-', '').replace('.', '')) - 1n;
  const text = `${negative ? '-' : ''}${units.toString()}e-${digits}`;
  return Number(text);
}
