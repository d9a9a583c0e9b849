import { load } from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { GaInputError } from '../ga-input-error.js';
import type { Hyp } from '../metrics.js';
import { breedCandidate, hypFingerprint } from './breed.js';
import type { BreedInput } from './breed.js';
import { compileBaseHyp } from './campaign-hyp.js';
import { readFixture } from './fixture.test-support.js';
import { clampAndRound, mutate } from './mutation.js';
import { trialRng } from './prng.js';
import type { Scored } from './selection.js';
import { configureStrategy } from '../strategies/registry.js';
import { YOLOV5_DETECTION_SPACE } from './space.js';

const space = YOLOV5_DETECTION_SPACE;
const { base } = compileBaseHyp(load(readFixture('hyp.scratch-low.yaml')) as Hyp, space);

/** Finished trials: the base's hyps with lr0 and mosaic varied, parents in shuffled key order. */
function population(): Scored[] {
  return [
    { id: 10, fitness: 0.31, hyp: { ...base, lr0: 0.012, mosaic: 0.9 } },
    { id: 11, fitness: 0.35, hyp: Object.fromEntries(Object.entries({ ...base, lr0: 0.008 }).reverse()) },
    { id: 12, fitness: 0.28, hyp: { ...base, lr0: 0.02, mosaic: 0.5 } },
    { id: 13, fitness: Number.NaN, hyp: { ...base, lr0: 0.09 } },
  ];
}

const SINGLE = configureStrategy({ name: 'single', params: {} });
const WEIGHTED = configureStrategy({ name: 'weighted', params: {} });

function input(overrides: Partial<BreedInput>): BreedInput {
  return { base, space, population: [], strategy: SINGLE, rng: trialRng(2024, 0), first: false, ...overrides };
}

describe('breedCandidate', () => {
  it('empty population, first candidate: the base itself, clamped and rounded, no randomness', () => {
    const rng = { next: () => Number.NaN, normal: () => Number.NaN }; // would poison any draw
    const candidate = breedCandidate(input({ first: true, rng }));
    expect(candidate).toEqual({ hyp: clampAndRound(base, space), parentIds: [], pool: [], draws: 1, origin: 'base' });
    expect(candidate.hyp).toEqual(base); // scratch-low is inside the default space and 5-decimal
    const clamped = breedCandidate(input({ first: true, base: { ...base, lr0: 0.5, momentum: 0.1234567 } }));
    expect(clamped.hyp.lr0).toBe(0.1);
    expect(clamped.hyp.momentum).toBe(0.6);
  });

  it('empty population, later candidates: mutations of the base, so workers starting together differ', () => {
    const children = [1, 2, 3].map((i) => breedCandidate(input({ rng: trialRng(2024, i) })));
    children.forEach((child, i) => {
      expect(child.origin).toBe('base-mutation');
      expect(child.parentIds).toEqual([]);
      expect(child.pool).toEqual([]);
      expect(child.hyp).not.toEqual(base);
      expect(child.hyp).toEqual(mutate(base, space, trialRng(2024, i + 1)));
    });
    expect(new Set(children.map((c) => hypFingerprint(c.hyp))).size).toBe(3);
  });

  it('non-empty population: mutates a parent from the pool; NaN trials are never parents', () => {
    const seen = new Set<number>();
    for (let i = 0; i < 200; i++) {
      const child = breedCandidate(input({ population: population(), rng: trialRng(7, i), first: i === 0 }));
      expect(child.origin).toBe('population');
      expect(child.pool).toEqual([11, 10, 12]);
      expect(child.parentIds).toHaveLength(1);
      seen.add(child.parentIds[0]!);
    }
    expect([...seen].sort()).toEqual([10, 11]); // 12 is the pool's minimum: weight 1e-6
  });

  it('baseAgain: the base itself even with a population (its first trial failed); a duplicate of it falls through to a child', () => {
    const again = breedCandidate(input({ population: population(), baseAgain: true }));
    expect(again).toMatchObject({ origin: 'base', parentIds: [], draws: 1 });
    expect(again.hyp).toEqual(breedCandidate(input({ first: true })).hyp);
    const taken = hypFingerprint(again.hyp);
    const child = breedCandidate(input({ population: population(), baseAgain: true, isDuplicate: (hyp) => hypFingerprint(hyp) === taken }));
    expect(child.origin).toBe('population');
  });

  it('the child is the selected parent mutated, in base key order, non-space keys from the base', () => {
    const extraBase = { ...base, nbs: 64 }; // a key YOLOv5 does not evolve
    const parents: Scored[] = [{ id: 1, fitness: 0.5, hyp: { nbs: 999, ...Object.fromEntries(Object.entries(base).reverse()), lr0: 0.03 } }];
    const child = breedCandidate(input({ base: extraBase, population: parents, rng: trialRng(5, 5) }));
    expect(Object.keys(child.hyp)).toEqual(Object.keys(extraBase));
    expect(child.hyp.nbs).toBe(64);
    const rng = trialRng(5, 5);
    rng.next(); // the parent draw
    expect(child.hyp).toEqual(mutate({ ...extraBase, lr0: 0.03 }, space, rng));
  });

  it('weighted: mutates the weighted mean of the pool', () => {
    const child = breedCandidate(input({ population: population(), strategy: WEIGHTED, rng: trialRng(8, 0) }));
    expect(child.parentIds).toEqual([11, 10, 12]);
    const w = [0.07 + 1e-6, 0.03 + 1e-6, 1e-6];
    const mean = (0.008 * w[0]! + 0.012 * w[1]! + 0.02 * w[2]!) / (w[0]! + w[1]! + w[2]!);
    const mosaic = (1 * w[0]! + 0.9 * w[1]! + 0.5 * w[2]!) / (w[0]! + w[1]! + w[2]!);
    const expected = mutate({ ...base, lr0: mean, mosaic }, space, trialRng(8, 0));
    expect(child.hyp.lr0).toBeCloseTo(expected.lr0!, 5);
    expect(child.hyp.mosaic).toBeCloseTo(expected.mosaic!, 5);
  });

  it('names a parent that lacks a space key', () => {
    const parents: Scored[] = [{ id: 42, fitness: 0.5, hyp: { lr0: 0.01 } }];
    expect(() => breedCandidate(input({ population: parents }))).toThrow(/parent trial 42 has no value for search space hyp lrf/);
  });

  it('draws again from the same stream while the child duplicates an issued one', () => {
    const rng = trialRng(9, 0);
    const replay = trialRng(9, 0);
    const first = [0, 1, 2].map(() => mutate(base, space, replay));
    const issued = new Set([hypFingerprint(first[0]!), hypFingerprint(first[1]!)]);
    const child = breedCandidate(input({ rng, isDuplicate: (hyp) => issued.has(hypFingerprint(hyp)) }));
    expect(child.draws).toBe(3);
    expect(child.hyp).toEqual(first[2]);
  });

  it('skips an already-issued base and counts it as a draw', () => {
    const issued = new Set([hypFingerprint(base)]);
    const child = breedCandidate(input({ first: true, isDuplicate: (hyp) => issued.has(hypFingerprint(hyp)) }));
    expect(child.origin).toBe('base-mutation');
    expect(child.draws).toBe(2);
  });

  it('gives up after maxDraws with an error explaining the space is too narrow', () => {
    const pinned = Object.fromEntries(Object.entries(space).map(([k, g]) => [k, { ...g, lower: base[k]!, upper: base[k]! }]));
    const issued = new Set<string>();
    const isDuplicate = (hyp: Hyp): boolean => issued.has(hypFingerprint(hyp));
    const firstChild = breedCandidate(input({ space: pinned, first: true, isDuplicate }));
    issued.add(hypFingerprint(firstChild.hyp));
    let error: unknown;
    try {
      breedCandidate(input({ space: pinned, isDuplicate, maxDraws: 50 }));
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(GaInputError);
    expect((error as Error).message).toMatch(/could not breed a new child in 50 draws.*too narrow or mostly frozen/);
    expect(() => breedCandidate(input({ isDuplicate: () => true }))).toThrow(/in 1000 draws/);
    expect(() => breedCandidate(input({ maxDraws: 0 }))).toThrow(/maxDraws must be an integer ≥ 1/);
  });

  it('rejects a base that lacks a space key', () => {
    const { anchors: _, ...noAnchors } = base;
    expect(() => breedCandidate(input({ base: noAnchors }))).toThrow(/base hyp lacks search space hyp\(s\) anchors/);
  });

  it('is deterministic: a fixed seed breeds identical candidates on every run', () => {
    const run = (): string[] =>
      Array.from({ length: 20 }, (_, i) =>
        hypFingerprint(breedCandidate(input({ population: i < 5 ? [] : population(), first: i === 0, rng: trialRng(77, i), strategy: i % 2 ? WEIGHTED : SINGLE })).hyp),
      );
    const a = run();
    expect(run()).toEqual(a);
    expect(new Set(a).size).toBe(20);
  });

  it('matches the golden sequence for seed 2024', () => {
    const golden = [0, 1, 2, 3].map((i) => {
      const c = breedCandidate(input({ population: i < 2 ? [] : population(), first: i === 0, rng: trialRng(2024, i), strategy: i === 3 ? WEIGHTED : SINGLE }));
      return { origin: c.origin, parentIds: c.parentIds, lr0: c.hyp.lr0, momentum: c.hyp.momentum, anchors: c.hyp.anchors, mosaic: c.hyp.mosaic, iou_t: c.hyp.iou_t };
    });
    expect(golden).toEqual(GOLDEN);
  });
});

describe('hypFingerprint', () => {
  it('is key=value in key order, equal for equal values, distinct otherwise', () => {
    expect(hypFingerprint({ lr0: 0.01, momentum: 0.937 })).toBe('lr0=0.01,momentum=0.937');
    expect(hypFingerprint({ a: 1e-5 })).toBe(hypFingerprint({ a: 0.00001 }));
    expect(hypFingerprint({ a: -0 })).toBe(hypFingerprint({ a: 0 }));
    expect(hypFingerprint({ a: 0.30000000000000004 })).not.toBe(hypFingerprint({ a: 0.3 }));
    expect(hypFingerprint({ a: 1, b: 2 })).not.toBe(hypFingerprint({ b: 2, a: 1 }));
  });
});

const GOLDEN = [
  { origin: 'base', parentIds: [], lr0: 0.01, momentum: 0.937, anchors: 3, mosaic: 1, iou_t: 0.2 },
  { origin: 'base-mutation', parentIds: [], lr0: 0.00983, momentum: 0.93309, anchors: 2.98418, mosaic: 0.98705, iou_t: 0.2 },
  { origin: 'population', parentIds: [10], lr0: 0.01381, momentum: 0.96429, anchors: 3.2765, mosaic: 0.9, iou_t: 0.2 },
  { origin: 'population', parentIds: [11, 10, 12], lr0: 0.00947, momentum: 0.92965, anchors: 3.611, mosaic: 1, iou_t: 0.2 },
];
