import { GaInputError } from '../ga-input-error.js';

// The same names the search space accepts (ga/space.ts). They are YAML plain scalars that
// PyYAML writes unquoted and loads back as strings, and safe CSV cells. The words below would
// load as booleans or null in YAML 1.1; `__proto__` would not survive a JavaScript object.
const HYP_NAME = /^[A-Za-z_][A-Za-z0-9_.-]*$/;
const RESERVED = new Set(['yes', 'no', 'on', 'off', 'true', 'false', 'null', '__proto__']);

/** Whether `name` can be a hyp name in every file we read and write. */
export function isValidHypName(name: string): boolean {
  return HYP_NAME.test(name) && !RESERVED.has(name.toLowerCase());
}

/** Throws a GaInputError naming `name` (found in `where`) unless it is a valid hyp name. */
export function assertHypName(name: string, where: string): void {
  if (!isValidHypName(name)) {
    throw new GaInputError(
      `${where}: hyp name ${JSON.stringify(name)} is not allowed; use letters, digits, _ . - (starting with a letter or _), and not a YAML 1.1 keyword like yes/no/on/off/true/false/null`,
      { where },
    );
  }
}
