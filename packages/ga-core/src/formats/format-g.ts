import { roundSignificant } from './exact-decimal.js';

/**
 * A number as C/Python `'%<width>.<precision>g'` prints it: YOLOv5 writes every cell of
 * evolve.csv and results.csv with `%20.5g`.
 *
 * Rounds half to even on the exact binary value (12344.5 → `12344`, where `toPrecision` gives
 * `12345`), switches to exponent form when the exponent is < -4 or ≥ precision (`1e-05`,
 * `1.2346e+05`), strips trailing zeros, and spells specials `nan`, `inf`, `-inf`, `-0`.
 * Right-aligned in `width` characters; never truncated.
 */
export function formatG(value: number, width = 20, precision = 5): string {
  return spellG(value, precision === 0 ? 1 : precision).padStart(width);
}

function spellG(value: number, precision: number): string {
  if (Number.isNaN(value)) return 'nan';
  if (value === Infinity) return 'inf';
  if (value === -Infinity) return '-inf';
  if (value === 0) return Object.is(value, -0) ? '-0' : '0';

  const sign = value < 0 ? '-' : '';
  const { digits, exponent10 } = roundSignificant(value, precision);
  if (exponent10 < -4 || exponent10 >= precision) {
    const mantissa = withPoint(digits.slice(0, 1), digits.slice(1));
    const exponentSign = exponent10 < 0 ? '-' : '+';
    return `${sign}${mantissa}e${exponentSign}${String(Math.abs(exponent10)).padStart(2, '0')}`;
  }
  if (exponent10 >= 0) {
    return sign + withPoint(digits.slice(0, exponent10 + 1), digits.slice(exponent10 + 1));
  }
  return sign + withPoint('0', '0'.repeat(-exponent10 - 1) + digits);
}

/** `integer.fraction` with the fraction's trailing zeros (and a bare point) removed. */
function withPoint(integer: string, fraction: string): string {
  const trimmed = fraction.replace(/0+$/, '');
  return trimmed === '' ? integer : `${integer}.${trimmed}`;
}
