import { describe, expect, it } from 'vitest';
import { estimateSavedMs, type PrunedTrial } from './read-pruned.js';

const trial = (over: Partial<PrunedTrial>): PrunedTrial => ({ index: 1, hyp: {}, rung: 1, fitness: 0.1, cut: 0.2, epochs: 10, durationMs: 60_000, finishedAt: 0, ...over });

describe('estimateSavedMs', () => {
  it("counts each pruned run's epochs not run at the pace of those it ran", () => {
    // 1 of 10 epochs in 60 s: 9 more would have taken 540 s; 3 of 10 in 90 s: 7 more, 210 s.
    expect(estimateSavedMs([trial({}), trial({ rung: 3, durationMs: 90_000 })])).toBe(750_000);
  });

  it('adds nothing for a trainer that did not say its epochs, a record without a duration, or a rung at the end', () => {
    expect(estimateSavedMs([trial({ epochs: null }), trial({ durationMs: null }), trial({ rung: 10 })])).toBe(0);
  });
});
