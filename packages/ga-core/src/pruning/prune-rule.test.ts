import { describe, expect, it } from 'vitest';
import { ashaRule, medianRule } from './prune-rule.js';

describe('medianRule', () => {
  it("cuts at the median of the other trials' fitness at the rung", () => {
    expect(medianRule.cut(0.9, [0.1, 0.5, 0.3], 3)).toBe(0.3);
    expect(medianRule.cut(0, [0.4, 0.1, 0.2, 0.3], 3)).toBeCloseTo(0.25, 12);
  });

  it('ignores the order of the peers', () => {
    expect(medianRule.cut(0, [0.3, 0.1, 0.5, 0.2, 0.4], 3)).toBe(medianRule.cut(0, [0.5, 0.4, 0.3, 0.2, 0.1], 3));
  });
});

describe('ashaRule', () => {
  it('keeps the top ⌊n/η⌋ of the n trials at the rung, this one included', () => {
    // 6 trials, η = 3: the top 2 go on, so the cut is the second best.
    expect(ashaRule.cut(0.35, [0.1, 0.2, 0.3, 0.4, 0.5], 3)).toBe(0.4);
    // η = 2: the top 3 of 6.
    expect(ashaRule.cut(0.35, [0.1, 0.2, 0.3, 0.4, 0.5], 2)).toBe(0.35);
  });

  it('always keeps at least the best one', () => {
    expect(ashaRule.cut(0.2, [0.1], 3)).toBe(0.2);
  });
});
