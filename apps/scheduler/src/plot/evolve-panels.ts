import type { SearchSpace } from '@hyperevolve/ga-core';
import { pointDensity } from './density.js';

/** One recorded row as the plots need it (imported rows with nan metrics have fitness NaN). */
export interface PopulationPoint {
  index: number;
  finishedAt: number;
  fitness: number;
  hyp: Readonly<Record<string, number>>;
}

/** One hyp's panel: every trial's [value, fitness, density] and the best trial's value. */
export interface EvolvePanel {
  hyp: string;
  points: [number, number, number][];
  best: { value: number; fitness: number; index: number } | null;
}

/** The hyps a campaign evolves: gain > 0 in its space, in the base hyp's order. */
export function evolvedHyps(hypNames: readonly string[], space: SearchSpace): string[] {
  return hypNames.filter((name) => (space[name]?.gain ?? 0) > 0);
}

/**
 * What YOLOv5's evolve.png shows, as data: per evolved hyp, fitness against value coloured
 * by density, and the best trial (highest fitness, earliest on a tie) marked.
 */
export function evolvePanels(hyps: readonly string[], points: readonly PopulationPoint[]): EvolvePanel[] {
  const scored = points.filter((p) => Number.isFinite(p.fitness));
  let best: PopulationPoint | null = null;
  for (const p of scored) if (best === null || p.fitness > best.fitness) best = p;
  return hyps.map((hyp) => {
    const usable = scored.filter((p) => Number.isFinite(p.hyp[hyp]));
    const values = usable.map((p) => p.hyp[hyp] ?? Number.NaN);
    const density = pointDensity(values, usable.map((p) => p.fitness));
    const bestValue = best?.hyp[hyp];
    return {
      hyp,
      points: usable.map((p, i) => [values[i] ?? Number.NaN, p.fitness, density[i] ?? 0]),
      best: best === null || bestValue === undefined ? null : { value: bestValue, fitness: best.fitness, index: best.index },
    };
  });
}
