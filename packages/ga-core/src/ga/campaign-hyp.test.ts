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

  it('warns once, naming every hyp stuck at 0 with a gain > 0, and only those', () => {
    const { warnings } = compileBaseHyp(scratchLow, YOLOV5_DETECTION_SPACE);
    // scratch-low has 0.0 for fl_gamma and perspective too, but their gain is 0.
    expect(warnings).toEqual([
      "hyps degrees, shear, flipud, mixup, copy_paste start at 0 with a gain > 0: multiplicative mutation can never move them (YOLOv5's default hyps do this too); " +
        'to evolve them, give a non-zero starting value in the hyp file, or set gain 0 in the space to fix them and silence this',
    ]);
    const single = compileBaseHyp({ a: 0, b: 0.5 }, { a: { gain: 1, lower: 0, upper: 1 }, b: { gain: 1, lower: 0, upper: 1 } });
    expect(single.warnings).toEqual([
      "hyp a starts at 0 with a gain > 0: multiplicative mutation can never move it (YOLOv5's default hyps do this too); " +
        'to evolve it, give a non-zero starting value in the hyp file, or set gain 0 in the space to fix it and silence this',
    ]);
  });

  it('does not warn for a 0 that the lower bound lifts, and warns for a value outside its range', () => {
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
