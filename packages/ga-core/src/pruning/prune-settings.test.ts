import { describe, expect, it } from 'vitest';
import { GaInputError } from '../ga-input-error.js';
import { DEFAULT_PRUNE_ETA, MIN_PEERS_AT_RUNG, compilePruning, defaultRungs } from './prune-settings.js';

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

describe('compilePruning', () => {
  it('is off by default: none compares no trial', () => {
    expect(compilePruning({ mode: 'none' }, 10)).toEqual({ mode: 'none', rungs: [], eta: DEFAULT_PRUNE_ETA, minPeers: MIN_PEERS_AT_RUNG, window: null });
    expect(compilePruning({ mode: 'none' }, undefined).rungs).toEqual([]);
  });

  it("fills the rungs from the trainer's epoch count when none are given", () => {
    expect(compilePruning({ mode: 'median' }, 10)).toEqual({ mode: 'median', rungs: [1, 3], eta: 3, minPeers: MIN_PEERS_AT_RUNG, window: 16 });
    expect(compilePruning({ mode: 'asha', eta: 2 }, 10).rungs).toEqual([1, 3, 5]);
  });

  it('fills in the presets: asha and median windowed at 16, fast one rung after the first epoch at η 6 and a window of 32', () => {
    expect(compilePruning({ mode: 'asha' }, 10)).toEqual({ mode: 'asha', rungs: [1, 3], eta: 3, minPeers: MIN_PEERS_AT_RUNG, window: 16 });
    expect(compilePruning({ mode: 'fast' }, 10)).toEqual({ mode: 'fast', rungs: [1], eta: 6, minPeers: MIN_PEERS_AT_RUNG, window: 32 });
    // fast needs no epoch count: its rung is the first epoch.
    expect(compilePruning({ mode: 'fast' }, undefined).rungs).toEqual([1]);
    expect(compilePruning({ mode: 'asha', window: 8, eta: 2 }, 10)).toMatchObject({ window: 8, eta: 2 });
    // all: judged against every trial that reached the rung, as before windows.
    expect(compilePruning({ mode: 'asha', window: 'all' }, 10).window).toBeNull();
  });

  it('takes the rungs given', () => {
    expect(compilePruning({ mode: 'asha', rungs: [2, 5] }, 10).rungs).toEqual([2, 5]);
    expect(compilePruning({ mode: 'median', rungs: [2, 5] }, undefined).rungs).toEqual([2, 5]);
  });

  const rejects = (request: Parameters<typeof compilePruning>[0], epochs: number | undefined, message: RegExp) => {
    expect(() => compilePruning(request, epochs)).toThrow(GaInputError);
    expect(() => compilePruning(request, epochs)).toThrow(message);
  };

  it('names the flag and the fix for bad input', () => {
    rejects({ mode: 'median' }, undefined, /--prune median needs rungs: give --prune-rungs .* or put the epoch count in the training command/);
    rejects({ mode: 'median', rungs: [3, 1] }, 10, /--prune-rungs must be ascending without repeats/);
    rejects({ mode: 'median', rungs: [1, 1] }, 10, /ascending without repeats/);
    rejects({ mode: 'median', rungs: [0] }, 10, /0 is not an epoch count/);
    rejects({ mode: 'median', rungs: [1.5] }, 10, /1.5 is not an epoch count/);
    rejects({ mode: 'median', rungs: [] }, 10, /at least one epoch/);
    rejects({ mode: 'asha', rungs: [1, 10] }, 10, /rung 10 is not before the last epoch .* use rungs below 10/);
    rejects({ mode: 'asha', eta: 1 }, 10, /--prune-eta must be a number above 1/);
    rejects({ mode: 'median' }, 1, /runs 1 epoch has no epoch to compare trials at/);
    rejects({ mode: 'fast' }, 1, /runs 1 epoch has no epoch to compare trials at/);
    rejects({ mode: 'asha', window: 4 }, 10, /--prune-window must be a whole number ≥ 5 .* or all, got 4/);
    rejects({ mode: 'asha', window: 7.5 }, 10, /--prune-window must be a whole number/);
    rejects({ mode: 'none', rungs: [1] }, 10, /--prune-rungs needs --prune median\|asha\|fast/);
    rejects({ mode: 'hyperband' as 'asha' }, 10, /--prune must be one of none, median, asha, fast/);
  });
});
