import { GaInputError } from '../ga-input-error.js';
import type { Hyp } from '../metrics.js';
import { clampAndRound } from './mutation.js';
import type { SearchSpace } from './space.js';

/** YOLOv5's default number of anchors per output layer, added when the space evolves `anchors`. */
const DEFAULT_ANCHORS = 3;

/**
 * Checks a campaign's base hyp against its search space once, so breeding can trust both.
 *
 * - Adds `anchors: 3` (last) when the space has `anchors` and the base lacks it, as YOLOv5 does.
 * - Throws {@link GaInputError} when a base value is not a finite number, or when space keys
 *   are missing from the (completed) base: a child could not be written without them.
 * - Warns when a base value lies outside its range (what the strategy cannot move is the
 *   strategy's to say: its `review`).
 *
 * Base keys outside the space are kept and passed through to every child unchanged.
 */
export function compileBaseHyp(base: Hyp, space: SearchSpace): { base: Hyp; warnings: string[] } {
  const entries = Object.entries(base);
  const bad = entries.filter(([, value]) => typeof value !== 'number' || !Number.isFinite(value));
  if (bad.length > 0) {
    throw new GaInputError(
      `Base hyp values must be finite numbers; got ${bad.map(([key, value]) => `${key}: ${String(value)}`).join(', ')}`,
      { where: 'base hyp' },
    );
  }
  if (Object.hasOwn(space, 'anchors') && !Object.hasOwn(base, 'anchors')) {
    entries.push(['anchors', DEFAULT_ANCHORS]);
  }
  const completed: Hyp = Object.freeze(Object.fromEntries(entries));

  const missing = Object.keys(space).filter((key) => !Object.hasOwn(completed, key));
  if (missing.length > 0) {
    throw new GaInputError(
      `Search space hyp${missing.length === 1 ? '' : 's'} ${missing.join(', ')} not in the base hyp; ` +
        `add ${missing.length === 1 ? 'it' : 'them'} to the base hyp file or remove ${missing.length === 1 ? 'it' : 'them'} from the search space. ` +
        `The base hyp has: ${Object.keys(completed).join(', ')}`,
      { where: 'base hyp' },
    );
  }

  const start = clampAndRound(completed, space);
  const warnings: string[] = [];
  for (const [key, g] of Object.entries(space)) {
    const value = completed[key] ?? Number.NaN;
    if (value < g.lower || value > g.upper) {
      warnings.push(
        `hyp ${key} = ${value} is outside its search range [${g.lower}, ${g.upper}]; the first candidate uses ${start[key]}`,
      );
    }
  }
  return { base: completed, warnings };
}
