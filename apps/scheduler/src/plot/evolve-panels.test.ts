import { describe, expect, it } from 'vitest';
import { evolvePanels, evolvedHyps, type PopulationPoint } from './evolve-panels.js';
import { evolvePlotLayout } from './evolve-plot-layout.js';
import { evolvePlotOption } from './evolve-plot-option.js';

const space = { lr0: { gain: 1, lower: 1e-5, upper: 0.1 }, iou_t: { gain: 0, lower: 0.1, upper: 0.7 }, box: { gain: 0.5, lower: 0.02, upper: 0.2 } };

function point(index: number, fitness: number, lr0: number, box: number): PopulationPoint {
  return { index, finishedAt: 1000 + index, fitness, hyp: { lr0, iou_t: 0.2, box } };
}

describe('evolve panels', () => {
  it('evolves exactly the hyps with gain > 0, in the base hyp order', () => {
    expect(evolvedHyps(['box', 'iou_t', 'lr0', 'unknown'], space)).toEqual(['box', 'lr0']);
  });

  it('plots every scored row per hyp and marks the best (first of equal maxima)', () => {
    const points = [point(0, 0.2, 0.01, 0.05), point(1, Number.NaN, 0.02, 0.06), point(2, 0.5, 0.03, 0.07), point(3, 0.5, 0.04, 0.08)];
    const panels = evolvePanels(['lr0', 'box'], points);
    expect(panels.map((p) => p.hyp)).toEqual(['lr0', 'box']);
    expect(panels[0]!.points.map(([x, y]) => [x, y])).toEqual([[0.01, 0.2], [0.03, 0.5], [0.04, 0.5]]);
    expect(panels[0]!.best).toEqual({ value: 0.03, fitness: 0.5, index: 2 });
    expect(panels[1]!.best).toEqual({ value: 0.07, fitness: 0.5, index: 2 });
    for (const [, , density] of panels[0]!.points) expect(density).toBeGreaterThanOrEqual(0);
  });

  it('has no best before any trial scored', () => {
    expect(evolvePanels(['lr0'], [point(0, Number.NaN, 0.01, 0.05)])).toEqual([{ hyp: 'lr0', points: [], best: null }]);
  });
});

describe('evolve plot layout and option', () => {
  it('lays out up to 5 panels a row', () => {
    expect(evolvePlotLayout(3)).toMatchObject({ columns: 3, rows: 1 });
    expect(evolvePlotLayout(25)).toMatchObject({ columns: 5, rows: 5 });
    expect(evolvePlotLayout(26)).toMatchObject({ columns: 5, rows: 6 });
    expect(evolvePlotLayout(0)).toMatchObject({ columns: 1, rows: 1 });
  });

  it('draws one grid, one density scatter and one best "+" per panel, the best value in the title', () => {
    const panels = evolvePanels(['lr0', 'box'], [point(0, 0.2, 0.01, 0.05), point(1, 0.4, 0.01234, 0.06)]);
    const option = evolvePlotOption(panels, evolvePlotLayout(panels.length)) as Record<string, { text?: string; data?: unknown[] }[]>;
    expect(option.grid).toHaveLength(2);
    expect(option.visualMap).toHaveLength(2);
    expect(option.series).toHaveLength(4);
    expect(option.title!.map((t) => t.text)).toEqual(['lr0 = 0.01234', 'box = 0.06']);
    expect(option.series![1]!.data).toEqual([[0.01234, 0.4]]);
    expect(JSON.parse(JSON.stringify(option))).toEqual(option);
  });
});
