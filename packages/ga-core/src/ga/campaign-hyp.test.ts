import { load } from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { GaInputError } from '../ga-input-error.js';
import type { Hyp } from '../metrics.js';
import { compileBaseHyp } from './campaign-hyp.js';
import { readFixture } from './fixture.test-support.js';
import { YOLOV5_DETECTION_SPACE } from './space.js';

const scratchLow = load(readFixture('hyp.scratch-low.yaml')) as Hyp;

describe('compileBaseHyp', () => {
  it('appends anchors: 3 last when the space evolves anchors and the base lacks it', () => {
    expect(Object.hasOwn(scratchLow, 'anchors')).toBe(false);
    const { base } = compileBaseHyp(scratchLow, YOLOV5_DETECTION_SPACE);
    expect(base.anchors).toBe(3);
    expect(Object.keys(base)).toEqual([...Object.keys(scratchLow), 'anchors']);
    expect(Object.isFrozen(base)).toBe(true);
  });

  it('keeps an existing anchors value and adds none when the space has no anchors', () => {
    expect(compileBaseHyp({ ...scratchLow, anchors: 4 }, YOLOV5_DETECTION_SPACE).base.anchors).toBe(4);
    const { anchors: _, ...space } = YOLOV5_DETECTION_SPACE;
    expect(Object.hasOwn(compileBaseHyp(scratchLow, space).base, 'anchors')).toBe(false);
  });

  it('leaves hyps at 0 to the strategy: only values outside their range are warned about', () => {
    expect(compileBaseHyp(scratchLow, YOLOV5_DETECTION_SPACE).warnings).toEqual([]);
  });

  it('warns for a value outside its range', () => {
    const space = { a: { gain: 1, lower: 0.1, upper: 1 }, b: { gain: 1, lower: 0, upper: 1 } };
    const { warnings } = compileBaseHyp({ a: 0, b: 5 }, space);
    expect(warnings).toEqual([
      'hyp a = 0 is outside its search range [0.1, 1]; the first candidate uses 0.1',
      'hyp b = 5 is outside its search range [0, 1]; the first candidate uses 1',
    ]);
  });

  it('rejects space keys missing from the base, naming them and listing the base keys', () => {
    const space = { ...YOLOV5_DETECTION_SPACE, lr_warp: { gain: 1, lower: 0, upper: 1 } };
    let error: unknown;
    try {
      compileBaseHyp({ lr0: 0.01, momentum: 0.9 }, { lr0: { gain: 1, lower: 0, upper: 1 }, lr_warp: space.lr_warp });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(GaInputError);
    expect((error as Error).message).toBe(
      'Search space hyp lr_warp not in the base hyp; add it to the base hyp file or remove it from the search space. The base hyp has: lr0, momentum',
    );
    expect(() => compileBaseHyp(scratchLow, space)).toThrow(/hyp lr_warp not in the base hyp.*The base hyp has: lr0, lrf, momentum, .*anchors$/);
  });

  it('rejects non-finite base values', () => {
    expect(() => compileBaseHyp({ ...scratchLow, lr0: Number.NaN }, YOLOV5_DETECTION_SPACE)).toThrow(/lr0: NaN/);
  });
});
