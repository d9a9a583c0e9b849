import { describe, expect, it } from 'vitest';
import { medianRule } from './median-rule.js';

const settings = medianRule.configure({}, { epochs: 10 });

describe('medianRule', () => {
  it("cuts at the median of the other trials' fitness at the rung", () => {
    expect(medianRule.cut(0.9, [0.1, 0.5, 0.3], settings)).toBe(0.3);
    expect(medianRule.cut(0, [0.4, 0.1, 0.2, 0.3], settings)).toBeCloseTo(0.25, 12);
  });

  it('ignores the order of the peers', () => {
    expect(medianRule.cut(0, [0.3, 0.1, 0.5, 0.2, 0.4], settings)).toBe(medianRule.cut(0, [0.5, 0.4, 0.3, 0.2, 0.1], settings));
  });
});
