import { YAMLException } from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { GaInputError } from '../ga-input-error.js';
import { parseHypYaml } from './hyp-yaml-parse.js';
import { writeHypYaml } from './hyp-yaml-write.js';
import { readFixture } from './read-fixture.test-support.js';

function errorOf(run: () => unknown): GaInputError {
  try {
    run();
  } catch (error) {
    if (error instanceof GaInputError) return error;
    throw error;
  }
  throw new Error('expected a GaInputError, nothing was thrown');
}

describe('writeHypYaml', () => {
  it('writes one name: value line per hyp, in order, floats spelled for PyYAML', () => {
    const hyp = { lr0: 1e-5, weight_decay: 5e-7, anchor_t: 123456, fl_gamma: 0, momentum: 0.937, big: 1e16 };
    expect(writeHypYaml(hyp)).toBe(
      'lr0: 1.0e-05\nweight_decay: 5.0e-07\nanchor_t: 123456.0\nfl_gamma: 0.0\nmomentum: 0.937\nbig: 1.0e+16\n',
    );
  });

  it('round-trips tricky values through parseHypYaml exactly, keeping order', () => {
    const hyp = { lr0: 5e-7, lrf: 1e-5, mosaic: 123456.0, mixup: 0.0, obj: 0.30000000000000004, cls: -0.00063068 };
    const back = parseHypYaml(writeHypYaml(hyp));
    expect(back).toEqual(hyp);
    expect(Object.keys(back)).toEqual(Object.keys(hyp));
  });

  it('writes what a YAML 1.1 loader reads as floats: every value has a point', () => {
    for (const line of writeHypYaml({ a: 5e-7, b: 3, c: 1e22, d: 0.5 }).trimEnd().split('\n')) {
      expect(line).toMatch(/^[a-z]+: -?[0-9]+\.[0-9]*(e[-+][0-9]+)?$/);
    }
  });

  it('accepts the names the search space accepts, dots and dashes included', () => {
    expect(parseHypYaml(writeHypYaml({ 'aug.p': 0.5, 'lr-b': 2 }))).toEqual({ 'aug.p': 0.5, 'lr-b': 2 });
  });

  it('refuses non-finite values and names that YAML would not read back as plain strings', () => {
    expect(errorOf(() => writeHypYaml({ lr0: NaN })).message).toMatch(/hyp "lr0" is NaN/);
    expect(errorOf(() => writeHypYaml({ 'on': 1 })).message).toMatch(/hyp name "on" is not allowed/);
    expect(errorOf(() => writeHypYaml({ 'a: b': 1 })).message).toMatch(/hyp name "a: b" is not allowed/);
  });
});

describe('parseHypYaml', () => {
  it.each(['low', 'med', 'high'])("reads YOLOv5's hyp.scratch-%s.yaml", (kind) => {
    const hyp = parseHypYaml(readFixture(`hyp.scratch-${kind}.yaml`), `hyp.scratch-${kind}.yaml`);
    expect(Object.keys(hyp)).toHaveLength(28);
    expect(Object.keys(hyp)[0]).toBe('lr0');
    expect(Object.keys(hyp).at(-1)).toBe('copy_paste');
    expect(hyp).not.toHaveProperty('anchors'); // `# anchors: 3` is a comment
    expect(hyp.weight_decay).toBe(0.0005);
    expect(hyp.warmup_epochs).toBe(3);
    expect(hyp.iou_t).toBe(0.2);
  });

  it('reads the values that differ between the scratch files', () => {
    expect(parseHypYaml(readFixture('hyp.scratch-low.yaml'))).toMatchObject({ lrf: 0.01, scale: 0.5, mixup: 0, copy_paste: 0 });
    expect(parseHypYaml(readFixture('hyp.scratch-high.yaml'))).toMatchObject({ lrf: 0.1, scale: 0.9, mixup: 0.1, copy_paste: 0.1 });
  });

  it('reads the body of hyp_evolve.yaml below its comment header', () => {
    const hyp = parseHypYaml(readFixture('hyp_evolve.yaml'));
    expect(hyp).toMatchObject({ lr0: 0.012346, anchors: 0.003, momentum: 115.68 });
  });

  it('accepts exponent floats without a point (YAML 1.2), which PyYAML would not', () => {
    expect(parseHypYaml('lr0: 1e-5\nlrf: 5E-07\n')).toEqual({ lr0: 1e-5, lrf: 5e-7 });
  });

  it('names the key of a non-numeric value', () => {
    expect(errorOf(() => parseHypYaml('lr0: 0.01\nmomentum: fast\n', 'my.yaml')).message).toBe(
      'my.yaml: hyp "momentum" must be a finite number, got the string "fast"',
    );
    expect(errorOf(() => parseHypYaml('lr0:\n')).message).toMatch(/hyp "lr0" must be a finite number, got an empty value/);
    expect(errorOf(() => parseHypYaml('lr0: .nan\n')).message).toMatch(/hyp "lr0" must be a finite number, got NaN/);
    expect(errorOf(() => parseHypYaml('mosaic: true\n')).message).toMatch(/hyp "mosaic".*the boolean true/);
    expect(errorOf(() => parseHypYaml('lr0: [1, 2]\n')).message).toMatch(/hyp "lr0".*a list/);
    expect(errorOf(() => parseHypYaml('lr0: 0.01\n3: 1\n')).message).toMatch(/hyp name "3" is not allowed/);
  });

  it('reports YAML syntax errors with their line', () => {
    const error = errorOf(() => parseHypYaml('lr0: 0.01\nlrf: 0.1\n  bad: : x\n', 'h.yaml'));
    expect(error.message).toMatch(/^h\.yaml: YAML syntax error on line 3: /);
    expect(error.where).toBe('h.yaml:3');
    expect(error.cause).toBeInstanceOf(YAMLException);
    expect(errorOf(() => parseHypYaml('lr0: 1\nlr0: 2\n')).message).toMatch(/line 2: duplicated mapping key/);
    // Two documents: js-yaml gives no position for this one.
    const two = errorOf(() => parseHypYaml('lr0: 1\n---\nlrf: 2\n', 'h.yaml'));
    expect(two.message).toMatch(/^h\.yaml: YAML syntax error: expected a single document/);
    expect(two.where).toBe('h.yaml');
  });

  it('rejects documents that are not a mapping', () => {
    expect(errorOf(() => parseHypYaml('')).message).toMatch(/expected a mapping.*got an empty document/);
    expect(errorOf(() => parseHypYaml('# only a comment\n')).message).toMatch(/got an empty document/);
    expect(errorOf(() => parseHypYaml('- 1\n- 2\n')).message).toMatch(/got a list/);
    expect(errorOf(() => parseHypYaml('0.01\n')).message).toMatch(/got the scalar 0.01/);
  });
});
