import { describe, expect, it } from 'vitest';
import { ashaRule, fastRule } from './asha-rule.js';

const withEta = (eta: number) => ashaRule.configure({ eta }, { epochs: 10 });

describe('ashaRule', () => {
  it('keeps the top ⌊n/η⌋ of the n trials at the rung, this one included', () => {
    // 6 trials, η = 3: the top 2 go on, so the cut is the second best.
    expect(ashaRule.cut(0.35, [0.1, 0.2, 0.3, 0.4, 0.5], withEta(3))).toBe(0.4);
    // η = 2: the top 3 of 6.
    expect(ashaRule.cut(0.35, [0.1, 0.2, 0.3, 0.4, 0.5], withEta(2))).toBe(0.35);
  });

  it('always keeps at least the best one', () => {
    expect(ashaRule.cut(0.2, [0.1], withEta(3))).toBe(0.2);
  });

  it('says where it compares trials and what it keeps, from the configured params', () => {
    expect(ashaRule.describe(withEta(4), ['eta'], 10)).toBe("prune asha: trials are compared after epochs 1, 3 (chosen from the command's 10 epochs and eta 4; --prune-rungs to set them), keeping the top 1/4");
    expect(ashaRule.describe(ashaRule.configure({ rungs: 2 }, { epochs: 10 }), ['rungs'], 10)).toBe('prune asha: trials are compared after epoch 2 (as given), keeping the top 1/3');
  });
});

describe('fastRule', () => {
  it('is asha at one rung after the first epoch, η 6, a window of 32, whatever the epoch count', () => {
    expect(fastRule.configure({}, { epochs: 10 })).toEqual({ mode: 'fast', rungs: [1], eta: 6, minPeers: 5, window: 32 });
    expect(fastRule.configure({}, { epochs: undefined }).rungs).toEqual([1]);
    expect(fastRule.describe(fastRule.configure({}, { epochs: undefined }), [], undefined)).toBe("prune fast: trials are compared after epoch 1 (fast's default; --prune-rungs to set them), keeping the top 1/6");
    // 12 trials at η 6: the top 2.
    expect(fastRule.cut(0.05, [0.9, 0.8, 0.7, 0.6, 0.5, 0.4, 0.3, 0.2, 0.1, 0.01, 0], fastRule.configure({}, { epochs: 10 }))).toBe(0.8);
  });
});
