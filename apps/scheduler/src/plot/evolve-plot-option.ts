import type { EChartsOption } from 'echarts/types/dist/echarts';
import { formatG } from '@hyperevolve/ga-core';
import type { EvolvePanel } from './evolve-panels.js';
import type { EvolvePlotLayout } from './evolve-plot-layout.js';

/** Matplotlib's viridis at 10 stops: dark = lone points, yellow = crowded. */
const VIRIDIS = ['#440154', '#482878', '#3e4989', '#31688e', '#26828e', '#1f9e89', '#35b779', '#6ece58', '#b5de2b', '#fde725'];

/** A filled "+" (echarts fills symbol paths, so the bars have width). */
const PLUS = 'path://M-1,-8H1V-1H8V1H1V8H-1V1H-8V-1H-1Z';

const MARGIN = { left: 52, right: 14, top: 30, bottom: 26 };

function percent(part: number, whole: number): string {
  return `${((part / whole) * 100).toFixed(3)}%`;
}

/**
 * The ECharts option of the evolve panels. Positions are percentages of the whole figure, so
 * the same option draws the PNG (server-side SVG) and the dashboard (any container with the
 * layout's aspect ratio). Plain data only: it travels to the browser as JSON.
 */
export function evolvePlotOption(panels: readonly EvolvePanel[], layout: EvolvePlotLayout): EChartsOption {
  const { width, height, panelWidth, panelHeight, columns } = layout;
  const titles: object[] = [];
  const grids: object[] = [];
  const xAxes: object[] = [];
  const yAxes: object[] = [];
  const series: object[] = [];
  const visualMaps: object[] = [];
  panels.forEach((panel, i) => {
    const left = (i % columns) * panelWidth;
    const top = Math.floor(i / columns) * panelHeight;
    const bestText = panel.best === null ? '' : ` = ${formatG(panel.best.value, 0, 4)}`;
    titles.push({
      text: `${panel.hyp}${bestText}`,
      left: percent(left + panelWidth / 2 + (MARGIN.left - MARGIN.right) / 2, width),
      top: percent(top + 6, height),
      textAlign: 'center',
      textStyle: { fontSize: 12, fontWeight: 'bold', color: '#222' },
    });
    grids.push({
      left: percent(left + MARGIN.left, width),
      top: percent(top + MARGIN.top, height),
      width: percent(panelWidth - MARGIN.left - MARGIN.right, width),
      height: percent(panelHeight - MARGIN.top - MARGIN.bottom, height),
    });
    const axis = { gridIndex: i, type: 'value', scale: true, axisLabel: { fontSize: 9, color: '#555', hideOverlap: true }, splitLine: { lineStyle: { color: '#eee' } } };
    xAxes.push({ ...axis, splitNumber: 4 });
    yAxes.push({ ...axis, splitNumber: 4, ...(i % columns === 0 ? { name: 'fitness', nameLocation: 'middle', nameGap: 38, nameTextStyle: { fontSize: 10, color: '#555' } } : {}) });
    visualMaps.push({ type: 'continuous', show: false, seriesIndex: series.length, dimension: 2, min: 0, max: 1, inRange: { color: VIRIDIS } });
    series.push({ type: 'scatter', name: panel.hyp, xAxisIndex: i, yAxisIndex: i, data: panel.points, symbolSize: 5, itemStyle: { opacity: 0.8 } });
    series.push({
      type: 'scatter',
      name: `${panel.hyp} best`,
      xAxisIndex: i,
      yAxisIndex: i,
      data: panel.best === null ? [] : [[panel.best.value, panel.best.fitness]],
      symbol: PLUS,
      symbolSize: 15,
      itemStyle: { color: '#000' },
      z: 10,
    });
  });
  return {
    animation: false,
    backgroundColor: '#fff',
    textStyle: { fontFamily: 'DejaVu Sans, Liberation Sans, Arial, sans-serif' },
    title: titles,
    grid: grids,
    xAxis: xAxes,
    yAxis: yAxes,
    visualMap: visualMaps,
    series,
  };
}
