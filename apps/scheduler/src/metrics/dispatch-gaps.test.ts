import { describe, expect, it } from 'vitest';
import { DispatchGaps } from './dispatch-gaps.js';

describe('DispatchGaps', () => {
  it('measures per worker from its previous end to its next start', () => {
    const gaps = new DispatchGaps();
    expect(gaps.next('a', 0, 1000)).toBeNull();
    expect(gaps.next('b', 100, 900)).toBeNull();
    expect(gaps.next('a', 1250, 3000)).toBe(250);
    expect(gaps.next('b', 1900, 2000)).toBe(1000);
  });

  it('ignores a late, out-of-order result and keeps the latest end', () => {
    const gaps = new DispatchGaps();
    gaps.next('a', 0, 1000);
    gaps.next('a', 1100, 2000);
    expect(gaps.next('a', 500, 900)).toBeNull();
    expect(gaps.next('a', 2300, 2500)).toBe(300);
  });
});
