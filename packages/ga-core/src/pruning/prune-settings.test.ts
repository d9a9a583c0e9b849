import { describe, expect, it } from 'vitest';
import { defaultRungs } from './prune-settings.js';

describe('defaultRungs', () => {
  it('spaces rungs geometrically by η below the last epoch', () => {
    expect(defaultRungs(10)).toEqual([1, 3]);
    expect(defaultRungs(300)).toEqual([1, 4, 11, 33, 100]);
    expect(defaultRungs(100, 2)).toEqual([1, 2, 3, 6, 13, 25, 50]);
    expect(defaultRungs(3)).toEqual([1]);
    expect(defaultRungs(2)).toEqual([1]);
    expect(defaultRungs(1)).toEqual([]);
  });
});
