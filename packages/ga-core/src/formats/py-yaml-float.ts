/**
 * A float as PyYAML's `safe_dump` spells it, which is also a spelling PyYAML (YAML 1.1) loads
 * back as the same float.
 *
 * That is Python's `repr` (shortest round-trip digits; exponent form when the decimal
 * exponent is < -4 or ≥ 16; integral values keep `.0`) with `.0` put before the `e` when the
 * mantissa has no point, because YAML 1.1 reads `5e-07` as a string: `5e-07` → `5.0e-07`.
 * Specials are `.nan`, `.inf`, `-.inf`.
 */
export function pyYamlFloat(value: number): string {
  if (Number.isNaN(value)) return '.nan';
  if (value === Infinity) return '.inf';
  if (value === -Infinity) return '-.inf';
  if (value === 0) return Object.is(value, -0) ? '-0.0' : '0.0';

  // toExponential() without an argument gives the shortest digits that round-trip, as repr does.
  const [mantissa = '', exponentText = '0'] = value.toExponential().split('e');
  const exponent10 = Number(exponentText);
  const sign = mantissa.startsWith('-') ? '-' : '';
  const digits = mantissa.replace(/^-/, '').replace('.', '');

  if (exponent10 < -4 || exponent10 >= 16) {
    const fraction = digits.slice(1);
    const exponentSign = exponent10 < 0 ? '-' : '+';
    const exponent = String(Math.abs(exponent10)).padStart(2, '0');
    return `${sign}${digits.slice(0, 1)}.${fraction === '' ? '0' : fraction}e${exponentSign}${exponent}`;
  }
  if (exponent10 < 0) return `${sign}0.${'0'.repeat(-exponent10 - 1)}${digits}`;
  const integer = digits.slice(0, exponent10 + 1).padEnd(exponent10 + 1, '0');
  const fraction = digits.slice(exponent10 + 1);
  return `${sign}${integer}.${fraction === '' ? '0' : fraction}`;
}
