/** The campaign page's population charts: fitness of every trial, the evolve panels, and hyps against fitness. */
import type { EvolvePlotReply, ImportanceReply, TrialRow } from './api.js';
import { $ } from './dom.js';
import { echarts, type EChartsOption, type EChartsType } from './echarts.js';
import { formatSignificant } from './format.js';

/** Axis ticks and colour bars read like every other number on the page. */
export const numberLabel = (value: number): string => formatSignificant(value);

/** A recorded row: [trial index, finish time (ms), fitness or null]. */
export type Point = [number, number, number | null];
export type FitnessAxis = 'time' | 'trial';

/** Fitness of every recorded trial (dots) and the best so far (a step line). */
export class FitnessChart {
  readonly #chart: EChartsType;
  readonly #box = $('fitness-chart');
  /**
   * x: finish time (rows in recording order), or trial number (idle time between enqueues
   * squashes a time axis; by number every trial gets the same room).
   */
  axis: FitnessAxis = 'time';

  constructor() {
    this.#chart = echarts.init(this.#box);
    this.#chart.setOption({
      animation: false,
      grid: { left: 72, right: 24, top: 20, bottom: 40 },
      tooltip: {
        trigger: 'item',
        formatter: (p: unknown) => {
          const { seriesIndex, value } = p as { seriesIndex: number; value: number[] };
          return seriesIndex === 0 ? `trial ${value[2]}<br>fitness ${formatSignificant(value[1])}<br>${new Date(value[3] ?? 0).toLocaleString()}` : `best so far ${formatSignificant(value[1])}`;
        },
      },
      xAxis: { type: 'time', splitLine: { show: false } },
      yAxis: { type: 'value', scale: true, name: 'fitness', nameLocation: 'middle', nameGap: 56, axisLabel: { formatter: numberLabel } },
      series: [
        { name: 'trials', type: 'scatter', symbolSize: 6, itemStyle: { color: '#31688e', opacity: 0.75 }, data: [] },
        { name: 'best so far', type: 'line', step: 'end', showSymbol: false, lineStyle: { color: '#35b779', width: 2 }, data: [] },
      ],
    });
  }

  resize(): void {
    this.#chart.resize();
  }

  draw(points: readonly Point[]): void {
    const byTrial = this.axis === 'trial';
    const dots: [number, number, number, number][] = [];
    for (const [index, at, fitness] of points) if (fitness !== null) dots.push([byTrial ? index : at, fitness, index, at]);
    if (byTrial) dots.sort((a, b) => a[0] - b[0]);
    const best: [number, number][] = [];
    let top = -Infinity;
    for (const [x, fitness] of dots) {
      if (fitness > top) top = fitness;
      best.push([x, top]);
    }
    this.#chart.setOption({
      xAxis: byTrial
        ? { type: 'value', name: 'trial', nameLocation: 'middle', nameGap: 26, minInterval: 1, scale: true, splitLine: { show: false } }
        : { type: 'time', name: '', splitLine: { show: false } },
      series: [{ data: dots }, { data: best }],
    });
    this.#box.dataset.points = String(dots.length);
    this.#box.dataset.axis = this.axis;
  }
}

/** The evolve panels (the same drawing as evolve.png), kept at the figure's aspect ratio. */
export class EvolvePanels {
  #chart: EChartsType | null = null;
  #layout: EvolvePlotReply['layout'] | null = null;
  readonly #box = $('evolve-panels');

  resize(): void {
    if (this.#chart === null || this.#layout === null) return;
    this.#box.style.height = `${Math.round((this.#box.clientWidth * this.#layout.height) / this.#layout.width)}px`;
    this.#chart.resize();
  }

  draw(reply: EvolvePlotReply): void {
    if (this.#chart === null) {
      this.#box.replaceChildren();
      this.#chart = echarts.init(this.#box);
    }
    this.#layout = reply.layout;
    this.resize();
    this.#chart.setOption(reply.option, true);
    this.#box.dataset.panels = String(reply.option.grid.length);
    this.#box.dataset.rows = String(reply.rows);
  }
}

const MAX_AXES = 12;

/** The axes of the parallel chart, and the note that says how they were chosen (the two always agree). */
export interface ParallelAxes {
  axes: string[];
  note: string;
}

/**
 * The hyps drawn: with a ranking, those that explain some of the fitness, most important first;
 * before it (or when none explains any), the evolved hyps that moved, in their order. Hyps that
 * never moved (a zero start that mutation cannot change) would draw flat axes. At most {@link MAX_AXES}.
 */
export function parallelAxes(importance: ImportanceReply | null, evolved: readonly string[]): ParallelAxes {
  const ranked = importance?.hyps ?? null;
  const moved = ranked === null ? evolved : ranked.filter((h) => h.distinct > 1).map((h) => h.name).filter((name) => evolved.includes(name));
  const explaining = ranked === null ? [] : ranked.filter((h) => h.importance > 0 && evolved.includes(h.name)).map((h) => h.name);
  if (explaining.length > 0) {
    const axes = explaining.slice(0, MAX_AXES);
    const of = `of the ${evolved.length} evolved hyps`;
    return { axes, note: axes.length < explaining.length ? `the ${axes.length} most important ${of}` : `the ${axes.length} ${of} that explain some of the fitness, most important first` };
  }
  const axes = moved.slice(0, MAX_AXES);
  const why = ranked === null ? `until ${importance?.minTrials ?? 8} recorded trials rank them` : 'none explains the fitness yet';
  return { axes, note: `${axes.length < evolved.length ? `the first ${axes.length} of the ${evolved.length} evolved hyps` : `the ${axes.length} evolved hyps`} in their order: ${why}` };
}

/** Parallel coordinates: one line per recorded trial over the chosen hyps and fitness. SVG, so each axis name is text the page holds. */
export class ParallelChart {
  #chart: EChartsType | null = null;
  #key = '';
  readonly #box = $('parallel-chart');

  resize(): void {
    this.#chart?.resize();
  }

  /** Redraws when the lines or axes changed; true when it did. */
  draw(trials: Iterable<TrialRow>, axes: readonly string[]): boolean {
    const scored = [...trials].filter((t): t is TrialRow & { fitness: number } => t.status === 'succeeded' && typeof t.fitness === 'number' && Number.isFinite(t.fitness));
    const key = `${scored.length}:${axes.join(',')}`;
    if (key === this.#key || scored.length === 0 || axes.length === 0) return false;
    this.#key = key;
    if (this.#chart === null) {
      this.#box.replaceChildren();
      this.#chart = echarts.init(this.#box, null, { renderer: 'svg' });
    }
    const fitnesses = scored.map((t) => t.fitness);
    const [low, high] = [Math.min(...fitnesses), Math.max(...fitnesses)];
    // Names rotated above their axes, never truncated (ECharts shortens a name to the room between axes).
    const axisDefault = { type: 'value', scale: true, nameLocation: 'end', nameGap: 12, nameRotate: 30, nameTruncate: { maxWidth: 400 }, nameTextStyle: { fontSize: 11 }, axisLabel: { fontSize: 10, formatter: numberLabel } };
    this.#chart.setOption({
      animation: false,
      parallel: { left: 30, right: 150, top: 90, bottom: 30, parallelAxisDefault: axisDefault },
      parallelAxis: [...axes.map((name, dim) => ({ dim, name })), { dim: axes.length, name: 'fitness', nameTextStyle: { fontWeight: 'bold' } }],
      visualMap: { type: 'continuous', dimension: axes.length, min: low, max: high === low ? low + 1e-9 : high, right: 4, top: 'middle', calculable: true, formatter: numberLabel, text: ['fitness', ''], inRange: { color: ['#440154', '#31688e', '#35b779', '#fde725'] } },
      series: [{ type: 'parallel', lineStyle: { width: 1, opacity: 0.55 }, data: scored.map((t) => [...axes.map((name) => t.hyp[name] ?? null), t.fitness]) }],
    } as EChartsOption, true);
    this.#box.dataset.lines = String(scored.length);
    this.#box.dataset.axes = String(axes.length + 1);
    return true;
  }
}
