import { describe, expect, it } from 'vitest';
import { MIN_PEERS_AT_RUNG, NO_PRUNING } from './prune-settings.js';
import { configurePruning } from './registry.js';
import { decideAtRung } from './rung-decision.js';
import type { RungArrival } from './rung-window.js';

const median = configurePruning({ name: 'median', params: { rungs: [1, 3], window: 'all' } }, 10);
const asha = configurePruning({ name: 'asha', params: { rungs: [1, 3], eta: 3, window: 'all' } }, 10);
const peers = [0.1, 0.2, 0.3, 0.4, 0.5];
/** Entries of trials 1, 2, … at the rung, in that order. */
const at = (values: readonly number[]): RungArrival[] => values.map((fitness, i) => ({ index: i + 1, fitness }));

describe('decideAtRung', () => {
  it('stops a trial below the median of the trials that reached the rung, lets one at or above it go on', () => {
    expect(decideAtRung({ settings: median, epoch: 1, fitness: 0.29, arrivals: at(peers), index: 9 })).toEqual({ kind: 'prune', rung: 1, cut: 0.3 });
    expect(decideAtRung({ settings: median, epoch: 3, fitness: 0.3, arrivals: at(peers), index: 9 })).toEqual({ kind: 'continue', rung: 3, why: 'at-or-above-cut', cut: 0.3 });
  });

  it('never stops a trial at its last epoch: its result is whole (a rung the epoch count was unknown for, or a trainer that stopped early)', () => {
    expect(decideAtRung({ settings: median, epoch: 3, fitness: 0.01, arrivals: at(peers), index: 9, epochs: 3 })).toEqual({ kind: 'continue', rung: 3, why: 'last-epoch', cut: null });
    expect(decideAtRung({ settings: median, epoch: 3, fitness: 0.01, arrivals: at(peers), index: 9, epochs: 10 }).kind).toBe('prune');
  });

  it('with asha keeps only the top 1/η', () => {
    // 6 trials at the rung, η = 3: the top 2 go on.
    expect(decideAtRung({ settings: asha, epoch: 1, fitness: 0.45, arrivals: at(peers), index: 9 })).toMatchObject({ kind: 'continue', cut: 0.45 });
    expect(decideAtRung({ settings: asha, epoch: 1, fitness: 0.39, arrivals: at(peers), index: 9 })).toEqual({ kind: 'prune', rung: 1, cut: 0.4 });
    // A trial median would keep, asha stops.
    expect(decideAtRung({ settings: median, epoch: 1, fitness: 0.35, arrivals: at(peers), index: 9 }).kind).toBe('continue');
    expect(decideAtRung({ settings: asha, epoch: 1, fitness: 0.35, arrivals: at(peers), index: 9 }).kind).toBe('prune');
  });

  it(`waits until ${MIN_PEERS_AT_RUNG} other trials reached the rung`, () => {
    const few = peers.slice(0, MIN_PEERS_AT_RUNG - 1);
    for (const settings of [median, asha]) {
      expect(decideAtRung({ settings, epoch: 1, fitness: 0, arrivals: at(few), index: 9 })).toEqual({ kind: 'continue', rung: 1, why: 'too-few-peers', cut: null });
    }
    // Peers without a fitness at the rung do not count.
    expect(decideAtRung({ settings: median, epoch: 1, fitness: 0, arrivals: at([...few, Number.NaN]), index: 9 })).toMatchObject({ why: 'too-few-peers' });
  });

  it("never prunes the campaign's first trial, nor its base hyps run again after it failed", () => {
    for (const settings of [median, asha]) {
      expect(decideAtRung({ settings, epoch: 1, fitness: 0, arrivals: at(peers), index: 0 })).toEqual({ kind: 'continue', rung: 1, why: 'first-trial', cut: null });
      expect(decideAtRung({ settings, epoch: 1, fitness: 0, arrivals: at(peers), index: 7, base: true })).toEqual({ kind: 'continue', rung: 1, why: 'first-trial', cut: null });
      expect(decideAtRung({ settings, epoch: 1, fitness: 0, arrivals: at(peers), index: 7, base: false })).toMatchObject({ kind: 'prune' });
    }
  });

  it('lets a trial with no fitness at the rung (nan) go on', () => {
    expect(decideAtRung({ settings: median, epoch: 1, fitness: Number.NaN, arrivals: at(peers), index: 9 })).toMatchObject({ kind: 'continue', why: 'no-fitness' });
  });

  it('decides nothing between rungs, nor with --prune none', () => {
    expect(decideAtRung({ settings: median, epoch: 2, fitness: 0, arrivals: at(peers), index: 9 })).toEqual({ kind: 'not-a-rung' });
    expect(decideAtRung({ settings: NO_PRUNING, epoch: 1, fitness: 0, arrivals: at(peers), index: 9 })).toEqual({ kind: 'not-a-rung' });
  });

  it('with a window, judges against the last K trials that reached the rung before this one', () => {
    const windowed = configurePruning({ name: 'asha', params: { rungs: [1, 3], window: 6 } }, 10);
    // A liar's 0.95 long ago, then six honest runs: the window has aged it out.
    const arrivals = at([0.95, 0.5, 0.6, 0.7, 0.8, 0.84, 0.86]);
    expect(decideAtRung({ settings: windowed, epoch: 1, fitness: 0.85, arrivals, index: 20 })).toMatchObject({ kind: 'continue', cut: 0.85 });
    // The same entries judged by every one of them (all, as before windows): the liar still sets the cut.
    const all = configurePruning({ name: 'asha', params: { rungs: [1, 3], window: 'all' } }, 10);
    expect(decideAtRung({ settings: all, epoch: 1, fitness: 0.85, arrivals, index: 20 })).toEqual({ kind: 'prune', rung: 1, cut: 0.86 });
    // Its own entry is stored already: only those before it count, so later arrivals do not move its cut.
    const own = [...arrivals, { index: 20, fitness: 0.85 }, { index: 21, fitness: 0.99 }, { index: 22, fitness: 0.98 }];
    expect(decideAtRung({ settings: windowed, epoch: 1, fitness: 0.85, arrivals: own, index: 20 })).toMatchObject({ kind: 'continue', cut: 0.85 });
  });

  it('is the same whatever order the peers come in (every scheduler replica decides alike)', () => {
    const shuffled = [0.4, 0.1, 0.5, 0.3, 0.2];
    for (const settings of [median, asha]) {
      for (const fitness of [0.05, 0.25, 0.3, 0.35, 0.45, 0.6]) {
        expect(decideAtRung({ settings, epoch: 3, fitness, arrivals: at(shuffled), index: 9 })).toEqual(
          decideAtRung({ settings, epoch: 3, fitness, arrivals: at(peers), index: 9 }),
        );
      }
    }
  });
});
