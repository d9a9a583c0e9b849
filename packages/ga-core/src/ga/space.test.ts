import { describe, expect, it } from 'vitest';
import { GaInputError } from '../ga-input-error.js';
import { readFixture } from './fixture.test-support.js';
import { YOLOV5_DETECTION_SPACE, parseSearchSpace, validateSearchSpace } from './space.js';
import type { SearchSpace } from './space.js';

/** fixtures/yolov5/detection-space.tsv: hyp, gain, lower, upper, in YOLOv5 v7.0's order. */
function spaceTable(): [string, number, number, number][] {
  const [, ...lines] = readFixture('detection-space.tsv').trim().split('\n');
  return lines.map((line) => {
    const [name, gain, lower, upper] = line.split('\t');
    return [name!, Number(gain), Number(lower), Number(upper)];
  });
}

function caught(f: () => unknown): GaInputError {
  try {
    f();
  } catch (error) {
    if (error instanceof GaInputError) return error;
    throw error;
  }
  throw new Error('expected a GaInputError');
}

describe('YOLOV5_DETECTION_SPACE', () => {
  it('is the fixture table, in its order, anchors included', () => {
    const table = spaceTable();
    expect(table).toHaveLength(29);
    expect(Object.entries(YOLOV5_DETECTION_SPACE).map(([k, g]) => [k, g.gain, g.lower, g.upper])).toEqual(table);
    expect(Object.keys(YOLOV5_DETECTION_SPACE)).toContain('anchors');
  });

  it('passes its own validation and cannot be modified', () => {
    expect(validateSearchSpace(YOLOV5_DETECTION_SPACE)).toEqual(YOLOV5_DETECTION_SPACE);
    expect(Object.isFrozen(YOLOV5_DETECTION_SPACE)).toBe(true);
    expect(Object.isFrozen(YOLOV5_DETECTION_SPACE.lr0)).toBe(true);
  });
});

describe('parseSearchSpace', () => {
  it('reads `hyp: [gain, lower, upper]` entries in file order, exponents included', () => {
    const space = parseSearchSpace('# comment\nlrf: [1, 0.01, 1.0]\nlr0: [1, 1e-5, 1.0e-1]\niou_t: [0, 0.1, 0.7]\n');
    expect(Object.keys(space)).toEqual(['lrf', 'lr0', 'iou_t']);
    expect(space.lr0).toEqual({ gain: 1, lower: 1e-5, upper: 0.1 });
    expect(space.iou_t).toEqual({ gain: 0, lower: 0.1, upper: 0.7 });
  });

  it('round-trips the default table written as YAML', () => {
    const yaml = spaceTable().map(([k, g, l, u]) => `${k}: [${g}, ${l}, ${u}]`).join('\n');
    expect(parseSearchSpace(yaml)).toEqual(YOLOV5_DETECTION_SPACE);
  });

  it('reports YAML syntax errors with their line', () => {
    const error = caught(() => parseSearchSpace('lr0: [1, 1e-5, 0.1]\nlrf: [1, 0.01\nbox: [1, 0.02, 0.2]', 'space.yaml'));
    expect(error.message).toMatch(/Invalid YAML in search space space\.yaml at line 3/);
    expect(error.where).toBe('space.yaml:3');
    expect(error.cause).toBeInstanceOf(Error);
  });

  it('rejects a duplicated hyp', () => {
    expect(() => parseSearchSpace('lr0: [1, 0, 1]\nlr0: [1, 0, 2]')).toThrow(/line 2.*duplicated/);
  });

  it.each([
    ['lr0: 0.01', /hyp "lr0": must be a list \[gain, lower, upper\].*got 0\.01/],
    ['lr0: {gain: 1}', /hyp "lr0": must be a list.*got a mapping/],
    ['lr0: [1, 0.1]', /hyp "lr0": must be exactly 3 numbers.*got a list of 2 items/],
    ['lr0: [1, 0.1, 1, 2]', /hyp "lr0": must be exactly 3 numbers.*got a list of 4 items/],
    ['lr0: [1, low, 0.1]', /hyp "lr0": lower must be a finite number, got the string "low"/],
    ['lr0: [1, 0, .inf]', /hyp "lr0": upper must be a finite number, got Infinity/],
    ['lr0: [~, 0, 1]', /hyp "lr0": gain must be a finite number, got an empty value/],
    ['lr0: [-1, 0, 1]\nlrf: [1, 0, 1]', /hyp "lr0": gain must be ≥ 0 \(0 freezes the hyp\), got -1/],
    ['lr0: [1, 0.5, 0.1]', /hyp "lr0": lower \(0\.5\) is above upper \(0\.1\); swap them/],
    ['"lr 0": [1, 0, 1]', /hyp "lr 0": name must start with a letter/],
    ['"no": [1, 0, 1]', /hyp "no": name .*not be a YAML 1\.1 keyword/],
    ['- [1, 0, 1]', /expected a mapping of hyp name/],
    ['', /expected a mapping of hyp name.*got nothing/],
    ['{}', /lists no hyps/],
  ])('rejects %j naming the hyp and the fix', (yaml, message) => {
    const error = caught(() => parseSearchSpace(yaml, 'space.yaml'));
    expect(error.message).toMatch(message);
    expect(error.where).toBe('space.yaml');
  });

  it('rejects an all-frozen space: YOLOv5 would spin forever', () => {
    expect(() => parseSearchSpace('lr0: [0, 0, 1]\nlrf: [0, 0, 1]')).toThrow(
      "every hyp has gain 0: YOLOv5's mutate loop would spin forever; give at least one hyp a gain > 0",
    );
  });

  it('lists every problem at once', () => {
    const error = caught(() => parseSearchSpace('a: [1, 2, 1]\nb: x\nc: [1, 0, 1]'));
    expect(error.message).toMatch(/hyp "a": lower \(2\) is above upper/);
    expect(error.message).toMatch(/hyp "b": must be a list/);
  });

  it('accepts lower == upper (a pinned hyp)', () => {
    expect(parseSearchSpace('a: [1, 0.5, 0.5]\nb: [1, 0, 1]').a).toEqual({ gain: 1, lower: 0.5, upper: 0.5 });
  });
});

describe('validateSearchSpace', () => {
  it('returns a frozen copy in the same key order', () => {
    const input = { b: { gain: 1, lower: 0, upper: 1 }, a: { gain: 0, lower: 0, upper: 2 } };
    const space = validateSearchSpace(input, 'campaign x');
    expect(Object.keys(space)).toEqual(['b', 'a']);
    input.b.gain = 5;
    expect(space.b?.gain).toBe(1);
    expect(Object.isFrozen(space)).toBe(true);
  });

  it.each([
    [{ a: { gain: -0.5, lower: 0, upper: 1 }, b: { gain: 1, lower: 0, upper: 1 } }, /hyp "a": gain must be ≥ 0/],
    [{ a: { gain: 1, lower: 3, upper: 1 } }, /hyp "a": lower \(3\) is above upper \(1\)/],
    [{ a: { gain: 1, lower: 0 } }, /hyp "a": upper must be a finite number, got nothing/],
    [{ a: { gain: Number.NaN, lower: 0, upper: 1 } }, /hyp "a": gain must be a finite number, got NaN/],
    [{ a: { gain: 1, lower: 0, upper: 1, step: 2 } }, /hyp "a": unexpected field\(s\) step/],
    [{ a: [1, 0, 1] }, /hyp "a": must be a gene/],
    [{ a: { gain: 0, lower: 0, upper: 1 } }, /every hyp has gain 0/],
    [null, /expected a mapping/],
  ])('rejects %j', (space, message) => {
    const error = caught(() => validateSearchSpace(space as unknown as SearchSpace, 'campaign x'));
    expect(error.message).toMatch(message);
    expect(error.message).toMatch(/in campaign x/);
  });
});
