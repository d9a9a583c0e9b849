/** The campaign page's population charts: fitness of every trial, the evolve panels, and hyps against fitness. */
import type { EvolvePlotReply, ImportanceReply, TrialRow } from './api.js';
import { $ } from './dom.js';
import { echarts, type EChartsType } from './echarts.js';
import { fixed } from './format.js';

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
      grid: { left: 60, right: 24, top: 20, bottom: 40 },
      tooltip: {
        trigger: 'item',
        formatter: (p: unknown) => {
          const { seriesIndex, value } = p as { seriesIndex: number; value: number[] };
          return seriesIndex === 0 ? `trial ${value[2]}<br>fitness ${fixed(value[1])}<br>${new Date(value[3] ?? 0).toLocaleString()}` : `best so far ${fixed(value[1])}`;
        },
      },
      xAxis: { type: 'time', splitLine: { show: false } },
      yAxis: { type: 'value', scale: true, name: 'fitness', nameLocation: 'middle', nameGap: 45 },
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

/** Parallel coordinates: one line per recorded trial over the most important evolved hyps and fitness. */
export class ParallelChart {
  #chart: EChartsType | null = null;
  #key = '';
  readonly #box = $('parallel-chart');

  resize(): void {
    this.#chart?.resize();
  }

  /** The axes drawn: the evolved hyps by importance (those that never moved left out), at most {@link MAX_AXES}. */
  static axes(importance: ImportanceReply | null, evolved: readonly string[]): string[] {
    // Hyps that never moved (a zero start that mutation cannot change) would draw flat axes.
    const ranked = importance?.hyps ? importance.hyps.filter((h) => h.distinct > 1).map((h) => h.name).filter((name) => evolved.includes(name)) : evolved;
    return ranked.slice(0, MAX_AXES);
  }

  /** Redraws when the lines or axes changed; true when it did. */
  draw(trials: Iterable<TrialRow>, axes: readonly string[]): boolean {
    const scored = [...trials].filter((t): t is TrialRow & { fitness: number } => t.status === 'succeeded' && typeof t.fitness === 'number' && Number.isFinite(t.fitness));
    const key = `${scored.length}:${axes.join(',')}`;
    if (key === this.#key || scored.length === 0 || axes.length === 0) return false;
    this.#key = key;
    if (this.#chart === null) {
      this.#box.replaceChildren();
      this.#chart = echarts.init(this.#box);
    }
    const fitnesses = scored.map((t) => t.fitness);
    const [low, high] = [Math.min(...fitnesses), Math.max(...fitnesses)];
    this.#chart.setOption({
      animation: false,
      parallel: { left: 30, right: 150, top: 50, bottom: 30, parallelAxisDefault: { type: 'value', scale: true, nameLocation: 'end', nameGap: 12, nameRotate: 25, nameTextStyle: { fontSize: 11 }, axisLabel: { fontSize: 10 } } },
      parallelAxis: [...axes.map((name, dim) => ({ dim, name })), { dim: axes.length, name: 'fitness', nameTextStyle: { fontWeight: 'bold' } }],
      visualMap: { type: 'continuous', dimension: axes.length, min: low, max: high === low ? low + 1e-9 : high, right: 4, top: 'middle', calculable: true, precision: 4, text: ['fitness', ''], inRange: { color: ['#440154', '#31688e', '#35b779', '#fde725'] } },
      series: [{ type: 'parallel', lineStyle: { width: 1, opacity: 0.55 }, data: scored.map((t) => [...axes.map((name) => t.hyp[name] ?? null), t.fitness]) }],
    }, true);
    this.#box.dataset.lines = String(scored.length);
    this.#box.dataset.axes = String(axes.length + 1);
    return true;
  }
}
