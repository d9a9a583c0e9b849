import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { GaInputError } from '../ga-input-error.js';
import type { Hyp } from '../metrics.js';
import {
  FACTOR_MAX,
  FACTOR_MIN,
  MUTATION_PROBABILITY,
  MUTATION_SIGMA,
  clampAndRound,
  mutate,
  mutationFactors,
} from './mutation.js';
import { trialRng } from './prng.js';
import type { Rng } from './prng.js';
import { pyRound } from './round.js';
import { YOLOV5_DETECTION_SPACE } from './space.js';
import type { SearchSpace } from './space.js';

const N = 100_000;
const rounded = (x: number): boolean => Object.is(pyRound(x, 5), x);

/** Draws N factor vectors and returns them column by column (one array per space key). */
function factorColumns(space: SearchSpace, rng: Rng, n = N): number[][] {
  const columns = Object.keys(space).map(() => new Array<number>(n));
  for (let t = 0; t < n; t++) {
    const factors = mutationFactors(space, rng);
    for (let i = 0; i < factors.length; i++) columns[i]![t] = factors[i]!;
  }
  return columns;
}

const share = (xs: readonly number[], p: (x: number) => boolean): number => xs.filter(p).length / xs.length;
/** 5 binomial standard errors: a correct GA misses with probability < 1e-6 (and seeds are fixed). */
const tolerance = (p: number, n: number): number => 5 * Math.sqrt((p * (1 - p)) / n);

describe('mutationFactors', () => {
  it(`changes each gain-1 hyp with probability ${MUTATION_PROBABILITY} (YOLOv5 default space, ${N} mutations)`, () => {
    const space = YOLOV5_DETECTION_SPACE;
    const columns = factorColumns(space, trialRng(11, 0));
    const keys = Object.keys(space);
    let pooled = 0;
    let pooledCount = 0;
    keys.forEach((key, i) => {
      const column = columns[i]!;
      const changed = share(column, (v) => v !== 1);
      if (space[key]!.gain === 0) {
        expect(changed, key).toBe(0);
      } else {
        // With 24 evolving hyps, the redraw-until-some-change rule shifts this by 0.2^24: nil.
        expect(Math.abs(changed - MUTATION_PROBABILITY), key).toBeLessThan(tolerance(0.8, N));
        pooled += changed * N;
        pooledCount += N;
      }
    });
    expect(Math.abs(pooled / pooledCount - 0.8)).toBeLessThan(tolerance(0.8, pooledCount));
  });

  it('redraws all factors until one changes: the share is exactly mp / (1 − (1 − mp)^k)', () => {
    // k = 2 evolving hyps: unconditional share 0.8, conditional 0.8 / 0.96 = 0.8333.
    const space = { a: { gain: 1, lower: 0, upper: 10 }, frozen: { gain: 0, lower: 0, upper: 10 }, b: { gain: 1, lower: 0, upper: 10 } };
    const columns = factorColumns(space, trialRng(12, 0));
    const expected = MUTATION_PROBABILITY / (1 - (1 - MUTATION_PROBABILITY) ** 2);
    expect(Math.abs(share(columns[0]!, (v) => v !== 1) - expected)).toBeLessThan(tolerance(expected, N));
    expect(Math.abs(share(columns[2]!, (v) => v !== 1) - expected)).toBeLessThan(tolerance(expected, N));
    expect(share(columns[1]!, (v) => v !== 1)).toBe(0);
    expect(columns[0]!.filter((v, t) => v === 1 && columns[2]![t] === 1)).toEqual([]);
  });

  it('draws r once per candidate: E[v−1] = 0, E[(v−1)²] = mp·σ²/3, and squared moves correlate across hyps', () => {
    const space = { a: { gain: 1, lower: 0, upper: 10 }, b: { gain: 1, lower: 0, upper: 10 } };
    // Many evolving hyps so the redraw rule does not bias the moments.
    const wide = Object.fromEntries(
      Array.from({ length: 20 }, (_, i) => [`h${i}`, { gain: 1, lower: 0, upper: 10 }]),
    );
    const columns = factorColumns({ ...space, ...wide }, trialRng(13, 0));
    const da = columns[0]!.map((v) => v - 1);
    const db = columns[1]!.map((v) => v - 1);
    const mean = (xs: number[]): number => xs.reduce((s, x) => s + x, 0) / xs.length;
    const s2 = MUTATION_SIGMA ** 2;
    // v − 1 = [u<mp]·z·r·σ: E[(v−1)²] = mp·E[z²]·E[r²]·σ² = mp·σ²/3, E[(v−1)⁴] = mp·3·σ⁴/5.
    const m2 = (MUTATION_PROBABILITY * s2) / 3;
    const m4 = (MUTATION_PROBABILITY * 3 * s2 * s2) / 5;
    expect(Math.abs(mean(da))).toBeLessThan(5 * Math.sqrt(m2 / N));
    expect(Math.abs(mean(da.map((x) => x * x)) - m2)).toBeLessThan(5 * Math.sqrt((m4 - m2 * m2) / N));
    // A shared r makes E[(va−1)²(vb−1)²] = mp²·σ⁴·E[r⁴] = mp²·σ⁴/5; independent r's would give mp²·σ⁴/9.
    const cross = mean(da.map((x, i) => x * x * db[i]! * db[i]!));
    const shared = (MUTATION_PROBABILITY ** 2 * s2 * s2) / 5;
    const independent = (MUTATION_PROBABILITY ** 2 * s2 * s2) / 9;
    expect(Math.abs(cross - shared)).toBeLessThan(Math.abs(cross - independent) / 4);
  });

  it('keeps factors in [0.3, 3.0], reaching both clip limits with a large gain', () => {
    const space = { big: { gain: 20, lower: 0, upper: 10 }, one: { gain: 1, lower: 0, upper: 10 } };
    const columns = factorColumns(space, trialRng(14, 0), 20_000);
    for (const column of columns) {
      expect(Math.min(...column)).toBeGreaterThanOrEqual(FACTOR_MIN);
      expect(Math.max(...column)).toBeLessThanOrEqual(FACTOR_MAX);
    }
    expect(columns[0]).toContain(0.3);
    expect(columns[0]).toContain(3.0);
  });

  it('returns one factor per space key, in order, reproducibly', () => {
    const space = { a: { gain: 1, lower: 0, upper: 1 }, b: { gain: 0, lower: 0, upper: 1 }, c: { gain: 2, lower: 0, upper: 1 } };
    const a = mutationFactors(space, trialRng(1, 0));
    expect(a).toHaveLength(3);
    expect(a[1]).toBe(1);
    expect(mutationFactors(space, trialRng(1, 0))).toEqual(a);
    expect(a).toEqual(GOLDEN_FACTORS);
  });

  it('rejects an all-frozen space instead of spinning', () => {
    const space = { a: { gain: 0, lower: 0, upper: 1 } };
    expect(() => mutationFactors(space, trialRng(1, 0))).toThrow(GaInputError);
    expect(() => mutationFactors(space, trialRng(1, 0))).toThrow(/gain 0: YOLOv5's mutate loop would spin forever/);
  });

  it('gives up with a clear error when gains are too small to move anything', () => {
    expect(() => mutationFactors({ a: { gain: 1e-300, lower: 0, upper: 1 } }, trialRng(1, 0))).toThrow(/gains are too small/);
  });
});

describe('clampAndRound', () => {
  const space = { lr0: { gain: 1, lower: 1e-5, upper: 0.1 }, box: { gain: 1, lower: 0.02, upper: 0.2 } };

  it('clamps space keys, rounds them like Python, and leaves other keys and the order alone', () => {
    const hyp = clampAndRound({ nbs: 64.123456789, box: 0.0000001, lr0: 0.0123456789, extra: 1e-7 }, space);
    expect(hyp).toEqual({ nbs: 64.123456789, box: 0.02, lr0: 0.01235, extra: 1e-7 });
    expect(Object.keys(hyp)).toEqual(['nbs', 'box', 'lr0', 'extra']);
    expect(clampAndRound({ lr0: 5, box: 0.015625 * 4 }, space)).toEqual({ lr0: 0.1, box: 0.0625 });
    expect(clampAndRound({ lr0: 0.000015625 }, space).lr0).toBe(0.00002); // exact binary is above the tie
    expect(clampAndRound({ lr0: 0.015625 }, space).lr0).toBe(0.01562); // an exact tie: to even
  });

  it('rejects NaN in a space key', () => {
    expect(() => clampAndRound({ lr0: Number.NaN }, space)).toThrow(/hyp lr0 is NaN/);
  });
});

describe('mutate', () => {
  const parent: Hyp = { lr0: 0.01, note: 7.123456789, momentum: 0.937, frozen: 0.2, anchors: 3, big: 50 };
  const space = {
    momentum: { gain: 0.3, lower: 0.6, upper: 0.98 },
    lr0: { gain: 1, lower: 1e-5, upper: 0.1 },
    frozen: { gain: 0, lower: 0.1, upper: 0.7 },
    anchors: { gain: 2, lower: 2, upper: 10 },
    big: { gain: 1, lower: 0, upper: 1000 },
  };

  it(`over ${N} children of one parent: frozen hyps never change, others stay in bounds and rounded`, () => {
    const rng = trialRng(21, 0);
    const entries = Object.entries(space);
    const violations: string[] = [];
    let bigChanged = 0;
    for (let t = 0; t < N; t++) {
      const child = mutate(parent, space, rng);
      if (child.frozen !== 0.2 || child.note !== 7.123456789) violations.push(`child ${t}: ${JSON.stringify(child)}`);
      for (const [key, g] of entries) {
        const v = child[key]!;
        if (!(v >= g.lower && v <= g.upper && rounded(v))) violations.push(`child ${t}: ${key} = ${v}`);
      }
      if (child.big !== 50) bigChanged++;
    }
    expect(violations.slice(0, 5)).toEqual([]);
    // Four evolving hyps, so the redraw rule lifts the share to 0.8 / (1 − 0.2⁴). Rounding to
    // 5 decimals undoes a factor within 1e-7 of 1 at 50 (probability ~1e-6: ignored). A small
    // hyp is coarser: at lr0 = 0.01 factors within 5e-4 of 1 round back, ~1.1% of children.
    const expected = MUTATION_PROBABILITY / (1 - (1 - MUTATION_PROBABILITY) ** 4);
    expect(Math.abs(bigChanged / N - expected)).toBeLessThan(tolerance(expected, N));
  });

  it("keeps the parent's key order and multiplies by the factors", () => {
    const child = mutate(parent, space, trialRng(3, 3));
    expect(Object.keys(child)).toEqual(Object.keys(parent));
    const v = mutationFactors(space, trialRng(3, 3));
    expect(child.momentum).toBe(pyRound(Math.min(Math.max(0.937 * v[0]!, 0.6), 0.98), 5));
    expect(child.lr0).toBe(pyRound(Math.min(Math.max(0.01 * v[1]!, 1e-5), 0.1), 5));
  });

  it('rejects a parent lacking a space key, naming it', () => {
    expect(() => mutate({ lr0: 0.01 }, space, trialRng(1, 0))).toThrow(/lacks search space hyp\(s\) momentum, frozen, anchors, big/);
  });

  it('property: any parent, any space with 5-decimal bounds → children in bounds, rounded, reproducible', () => {
    const fiveDecimals = fc.integer({ min: -10_000_000, max: 10_000_000 }).map((k) => k / 1e5);
    const geneArb = fc
      .tuple(fc.constantFrom(0, 0.3, 1, 2, 5), fiveDecimals, fiveDecimals)
      .map(([gain, a, b]) => ({ gain, lower: Math.min(a, b), upper: Math.max(a, b) }));
    const arb = fc
      .dictionary(fc.stringMatching(/^[a-z]{1,6}$/), fc.tuple(geneArb, fc.double({ min: -1e6, max: 1e6, noNaN: true })), { minKeys: 1, maxKeys: 8 })
      .filter((d) => Object.values(d).some(([g]) => g.gain > 0));
    fc.assert(
      fc.property(arb, fc.nat({ max: 2 ** 31 }), (entries, seed) => {
        const space = Object.fromEntries(Object.entries(entries).map(([k, [g]]) => [k, g]));
        const p = Object.fromEntries(Object.entries(entries).map(([k, [, v]]) => [k, v]));
        const child = mutate(p, space, trialRng(seed, 0));
        expect(mutate(p, space, trialRng(seed, 0))).toEqual(child);
        for (const [key, g] of Object.entries(space)) {
          const v = child[key]!;
          expect(v).toBeGreaterThanOrEqual(g.lower);
          expect(v).toBeLessThanOrEqual(g.upper);
          expect(rounded(v)).toBe(true);
          if (g.gain === 0) expect(v).toBe(pyRound(Math.min(Math.max(p[key]!, g.lower), g.upper), 5));
        }
      }),
      { numRuns: 500, seed: 99 },
    );
  });
});

const GOLDEN_FACTORS = [1.1205294432879478, 1, 0.8785872203855378];
