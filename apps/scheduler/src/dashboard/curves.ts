/** Per-epoch fitness curves: the trials running now, and one trial's runs. */
import type { CurvePoint, FinishedCurves, RunningCurves, TrialCurve } from './api.js';
import { $ } from './dom.js';
import { echarts, type EChartsOption, type EChartsType, type LineSeriesOption } from './echarts.js';
import { formatSignificant } from './format.js';

type CurveSeries = LineSeriesOption & { data: [number, number][] };

/** One colour per trial, the same on every poll while other trials come and go. */
const CURVE_COLOURS = ['#3e4989', '#35b779', '#e0873a', '#c53030', '#31688e', '#8a5a12', '#9b59b6', '#1f9e89', '#d4a017', '#6b7280'];

/** A run's epochs as a line; an epoch without a fitness (not validated) is left out. */
export function curveSeries(name: string, points: readonly CurvePoint[], colour: number): CurveSeries {
  const data: [number, number][] = [];
  for (const p of points) if (p.fitness !== null) data.push([p.epoch, p.fitness]);
  return { name, type: 'line', showSymbol: data.length <= 60, symbolSize: 5, color: CURVE_COLOURS[colour % CURVE_COLOURS.length], data };
}

/**
 * Rungs (--prune) as dashed vertical lines, and where a pruned trial stopped: its fitness at the
 * rung and the cut it fell below. Drawn on the first and last lines, so they add no series of their own.
 */
export function markRungs(series: CurveSeries[], rungs: readonly number[], pruned: TrialCurve['pruned']): void {
  const first = series[0];
  const last = series.at(-1);
  if (first === undefined || last === undefined) return;
  first.markLine = {
    silent: true, symbol: 'none', animation: false, lineStyle: { type: 'dashed', color: '#9aa1ad' }, label: { formatter: 'rung {c}', position: 'insideEndTop' },
    data: rungs.map((rung) => ({ xAxis: rung })),
  };
  if (pruned !== null && pruned.cut !== null) {
    last.markPoint = {
      symbol: 'rect', symbolSize: [18, 2], itemStyle: { color: '#c53030' }, label: { position: 'right', formatter: `cut ${formatSignificant(pruned.cut)}`, color: '#c53030' },
      data: [{ name: 'cut', coord: [pruned.rung, pruned.cut] }],
    };
  }
}

/** `alsoShow`: a fitness the y axis must reach though no line does (a pruned trial's cut). */
export function drawCurves(chart: EChartsType, series: CurveSeries[], epochs: number, alsoShow: number | null = null): void {
  chart.setOption({
    animation: false,
    grid: { left: 72, right: 24, top: 34, bottom: 40 },
    legend: { type: 'scroll', top: 0 },
    tooltip: {
      trigger: 'item',
      formatter: (p: unknown) => {
        const { seriesName, value } = p as { seriesName: string; value: number[] };
        return `${seriesName}<br>epoch ${value[0]}: fitness ${formatSignificant(value[1])}`;
      },
    },
    xAxis: { type: 'value', name: 'epoch', nameLocation: 'middle', nameGap: 26, minInterval: 1, min: 1, max: epochs > 0 ? epochs : 'dataMax', splitLine: { show: false } },
    // null (not left out) resets a bound an earlier trial's cut set: setOption merges.
    yAxis: {
      type: 'value', scale: true, name: 'fitness', nameLocation: 'middle', nameGap: 56, axisLabel: { formatter: (value: number) => formatSignificant(value) },
      min: alsoShow === null ? null : (extent: { min: number }) => Math.min(extent.min, alsoShow),
      max: alsoShow === null ? null : (extent: { max: number }) => Math.max(extent.max, alsoShow),
    } as unknown as EChartsOption['yAxis'],
    series,
  }, { replaceMerge: ['series'] });
}

/** What a test (or a curious user) reads off the chart's box: how many lines and points it draws. */
export function markCurves(box: HTMLElement, series: readonly CurveSeries[]): void {
  box.dataset.series = String(series.length);
  box.dataset.points = String(series.reduce((n, line) => n + line.data.length, 0));
}

/** The trials running now: one line each, live. */
export class RunningCurvesChart {
  #chart: EChartsType | null = null;
  readonly #box = $('curves-chart');

  resize(): void {
    this.#chart?.resize();
  }

  /** `status`: the campaign's; once it is over and nothing runs, the card goes (it would only be empty). */
  draw(reply: RunningCurves, status: string): void {
    const drawn = reply.trials.filter((t) => t.points.some((p) => p.fitness !== null));
    $('running-card').hidden = reply.trials.length === 0 && status !== 'running' && status !== 'paused';
    $('curves-summary').textContent = reply.trials.length === 0
      ? 'no trial is running now'
      : `fitness after each epoch, one line per trial running now (${reply.trials.length} running${drawn.length < reply.trials.length ? `, ${reply.trials.length - drawn.length} before their first measured epoch` : ''})`;
    if (this.#chart === null) {
      if (drawn.length === 0) return;
      this.#box.replaceChildren();
      this.#chart = echarts.init(this.#box);
    }
    const series = drawn.map((t) => curveSeries(`trial ${t.index}`, t.points, t.index));
    markRungs(series, reply.rungs, null);
    drawCurves(this.#chart, series, Math.max(0, ...drawn.map((t) => t.epochs ?? 0)));
    markCurves(this.#box, series);
    this.#box.dataset.rungs = series.length === 0 ? '' : reply.rungs.join(',');
    this.#box.dataset.trials = drawn.map((t) => t.index).join(',');
  }
}

/** One trial's curve, one line per run (a retried trial has several); hidden when it has none. */
export class TrialCurveChart {
  #chart: EChartsType | null = null;
  readonly #box = $('trial-curve');

  resize(): void {
    this.#chart?.resize();
  }

  draw(index: number, curve: TrialCurve): void {
    const runs = curve.runs.filter((r) => r.points.some((p) => p.fitness !== null));
    this.#box.hidden = runs.length === 0;
    const series = runs.map((r, i) => curveSeries(runs.length > 1 ? `run ${r.run}` : `trial ${index}`, r.points, index + i));
    markRungs(series, curve.rungs, curve.pruned);
    if (runs.length > 0) {
      if (this.#chart === null) this.#chart = echarts.init(this.#box);
      else this.#chart.resize();
      drawCurves(this.#chart, series, Math.max(0, ...runs.map((r) => r.epochs ?? 0)), curve.pruned?.cut ?? null);
    }
    markCurves(this.#box, series);
    this.#box.dataset.index = String(index);
    this.#box.dataset.status = String(curve.status);
    this.#box.dataset.rungs = series.length === 0 ? '' : curve.rungs.join(',');
    this.#box.dataset.cut = series.length === 0 || curve.pruned?.cut == null ? '' : String(curve.pruned.cut);
  }
}

/** The best finished trials' curves on one chart, the pruned ones faded, with the rungs: how good runs learn, and where pruning cut the others. */
export class FinishedCurvesChart {
  #chart: EChartsType | null = null;
  readonly #box = $('finished-curves');

  resize(): void {
    this.#chart?.resize();
  }

  draw(reply: FinishedCurves): void {
    const drawn = reply.trials.filter((t) => t.points.some((p) => p.fitness !== null));
    $('finished-card').hidden = drawn.length === 0;
    const best = drawn.filter((t) => t.status === 'succeeded').length;
    const pruned = drawn.length - best;
    $('finished-summary').textContent = `fitness after each epoch of the best ${best} finished trials${pruned > 0 ? ` and the latest ${pruned} pruned (faded)` : ''}${reply.rungs.length > 0 ? '; dashed: the rungs' : ''}`;
    if (drawn.length === 0) return;
    if (this.#chart === null) {
      this.#box.replaceChildren();
      this.#chart = echarts.init(this.#box);
    }
    const series = drawn.map((t, i) => {
      const line = curveSeries(t.status === 'pruned' ? `trial ${t.index} (pruned)` : `trial ${t.index}`, t.points, i);
      // Pruned runs stay in view as thin grey lines: where they were cut, not what they would have reached.
      return t.status === 'pruned' ? { ...line, color: '#9aa1ad', lineStyle: { width: 1, opacity: 0.35 }, symbolSize: 3 } : line;
    });
    markRungs(series, reply.rungs, null);
    drawCurves(this.#chart, series, Math.max(0, ...drawn.map((t) => t.epochs ?? 0)));
    markCurves(this.#box, series);
    this.#box.dataset.pruned = String(pruned);
    this.#box.dataset.rungs = reply.rungs.join(',');
    this.#box.dataset.trials = drawn.map((t) => t.index).join(',');
  }
}
