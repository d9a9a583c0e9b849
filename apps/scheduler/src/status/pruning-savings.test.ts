import { describe, expect, it } from 'vitest';
import { estimateSavedMs } from './pruning-savings.js';

describe('estimateSavedMs', () => {
  it('counts each pruned trial as a typical full run (the median) less the time it ran', () => {
    // 3 pruned trials that ran 20 s in all; full runs take 100 s (median of 90, 100, 400).
    expect(estimateSavedMs(3, 20_000, [90_000, 400_000, 100_000])).toBe(280_000);
    expect(estimateSavedMs(1, 10_000, [90_000, 110_000])).toBe(90_000);
  });

  it('is 0 with nothing pruned or no full run to compare with, and never below 0', () => {
    expect(estimateSavedMs(0, 0, [100])).toBe(0);
    expect(estimateSavedMs(4, 1000, [])).toBe(0);
    expect(estimateSavedMs(1, 500_000, [100_000])).toBe(0);
  });
});
