import { describe, expect, it } from 'vitest';
import { trialRng } from '../ga/prng.js';
import { IMPORTANCE_MIN_TRIALS, hypImportance, type ImportancePoint } from './hyp-importance.js';

/** n trials with hyps a, b, c, d uniform in [0, 1] (seeded) and fitness f(hyps) + noise. */
function population(n: number, f: (h: Record<string, number>) => number, noise = 0.01, seed = 7): ImportancePoint[] {
  const rng = trialRng(seed, 0);
  return Array.from({ length: n }, () => {
    const hyp = { a: rng.next(), b: rng.next(), c: rng.next(), d: 0.5 };
    return { hyp, fitness: f(hyp) + noise * (rng.next() - 0.5) };
  });
}

describe('hypImportance', () => {
  it('ranks a hyp with a strong effect first, a weak one second, an irrelevant one and a constant one last', () => {
    const ranked = hypImportance(population(300, (h) => 1.0 * h.a! + 0.3 * h.b!), ['a', 'b', 'c', 'd'])!;
    expect(ranked.map((r) => r.name)).toEqual(['a', 'b', 'c', 'd']);
    expect(ranked[0]!.importance).toBeGreaterThan(0.8);
    expect(ranked[0]!.explained).toBeGreaterThan(0.8);
    expect(ranked[0]!.rankCorrelation).toBeGreaterThan(0.9);
    expect(ranked[2]!.explained).toBeLessThan(0.02);
    expect(ranked[3]).toMatchObject({ name: 'd', importance: 0, explained: 0, rankCorrelation: 0, distinct: 1 });
    expect(ranked.reduce((sum, r) => sum + r.importance, 0)).toBeCloseTo(1, 10);
  });

  it('catches an effect that is not monotonic (an optimum mid-range), which a rank correlation misses', () => {
    const ranked = hypImportance(population(300, (h) => -((h.c! - 0.5) ** 2) * 4), ['a', 'b', 'c'])!;
    expect(ranked[0]!.name).toBe('c');
    expect(ranked[0]!.explained).toBeGreaterThan(0.7);
    expect(Math.abs(ranked[0]!.rankCorrelation)).toBeLessThan(0.2);
  });

  it('a negative effect ranks like a positive one, with a negative rank correlation', () => {
    const ranked = hypImportance(population(200, (h) => -h.b!), ['a', 'b'])!;
    expect(ranked[0]).toMatchObject({ name: 'b' });
    expect(ranked[0]!.rankCorrelation).toBeLessThan(-0.9);
  });

  it('pure noise: every hyp explains about nothing (chance-corrected), whatever the population size', () => {
    for (const n of [12, 40, 400]) {
      const ranked = hypImportance(population(n, () => 0, 1, n), ['a', 'b', 'c'])!;
      for (const r of ranked) expect(r.explained, `${r.name} at n=${n}`).toBeLessThan(n < 20 ? 0.5 : 0.15);
    }
  });

  it('null below the minimum; trials without a finite fitness or value are left out; deterministic', () => {
    const few = population(IMPORTANCE_MIN_TRIALS - 1, (h) => h.a!);
    expect(hypImportance(few, ['a'])).toBeNull();
    const withNan = [...few, ...few.map((p) => ({ ...p, fitness: Number.NaN }))];
    expect(hypImportance(withNan, ['a'])).toBeNull();
    const points = population(50, (h) => h.a!);
    const holes = points.map((p, i) => (i % 5 === 0 ? { ...p, hyp: { ...p.hyp, a: Number.NaN } } : p));
    expect(hypImportance(holes, ['a', 'b'])![0]!.name).toBe('a');
    expect(hypImportance(points, ['a', 'b'])).toEqual(hypImportance(points, ['a', 'b']));
  });

  it('flat fitness explains nothing and divides by nothing', () => {
    const flat = population(30, () => 0.5, 0);
    expect(hypImportance(flat, ['a', 'b'])).toEqual([
      { name: 'a', importance: 0, explained: 0, rankCorrelation: 0, distinct: 30 },
      { name: 'b', importance: 0, explained: 0, rankCorrelation: 0, distinct: 30 },
    ]);
  });
});
