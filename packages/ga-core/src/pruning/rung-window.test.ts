import { describe, expect, it } from 'vitest';
import { rungLogLength, rungPeers } from './rung-window.js';

const entry = (index: number, fitness: number) => ({ index, fitness });

describe('rungPeers', () => {
  it('without a window: every other trial that reached the rung', () => {
    expect(rungPeers([entry(1, 0.1), entry(2, 0.2), entry(3, 0.3)], 2, null)).toEqual([0.1, 0.3]);
  });

  it('with a window: the last K other trials before its own entry, newest first', () => {
    const arrivals = [1, 2, 3, 4, 5].map((index) => entry(index, index / 10));
    expect(rungPeers(arrivals, 9, 3)).toEqual([0.5, 0.4, 0.3]);
    expect(rungPeers([...arrivals, entry(9, 0.9), entry(6, 0.6)], 9, 3)).toEqual([0.5, 0.4, 0.3]);
  });

  it("counts each trial once, by its latest entry (a re-run's), and skips its own earlier ones", () => {
    const arrivals = [entry(1, 0.1), entry(9, 0.05), entry(2, 0.2), entry(1, 0.15), entry(3, 0.3), entry(9, 0.9)];
    expect(rungPeers(arrivals, 9, 5)).toEqual([0.3, 0.15, 0.2]);
  });

  it('without its own entry (trimmed away), the last K entries', () => {
    expect(rungPeers([entry(1, 0.1), entry(2, 0.2), entry(3, 0.3)], 9, 2)).toEqual([0.3, 0.2]);
  });

  it('skips values that are not finite', () => {
    expect(rungPeers([entry(1, 0.1), entry(2, Number.NaN), entry(3, 0.3)], 9, 2)).toEqual([0.3, 0.1]);
  });

  it('keeps room beyond the window for re-runs and late arrivals', () => {
    expect(rungLogLength(16)).toBeGreaterThan(2 * 16);
  });
});
