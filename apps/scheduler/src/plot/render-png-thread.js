// Worker-thread entry (plain JavaScript: worker threads do not get tsx's loader). Draws an
// ECharts option with ECharts' server-side SVG renderer and rasterises it with resvg, off
// the scheduler's event loop. Input (workerData): { option, width, height, scale, withSvg }.
// Output (one message): { png: Uint8Array, width, height, svg?: string } or { error: string }.
import { createRequire } from 'node:module';
import { parentPort, workerData } from 'node:worker_threads';
import { renderAsync } from '@resvg/resvg-js';

const echarts = createRequire(import.meta.url)('echarts');

try {
  const { option, width, height, scale, withSvg } = workerData;
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width, height });
  let svg;
  try {
    chart.setOption(option);
    svg = chart.renderToSVGString();
  } finally {
    chart.dispose();
  }
  const image = await renderAsync(svg, {
    fitTo: { mode: 'zoom', value: scale },
    background: '#ffffff',
    font: { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans' },
  });
  const png = new Uint8Array(image.asPng());
  parentPort.postMessage({ png, width: image.width, height: image.height, svg: withSvg ? svg : undefined }, [png.buffer]);
} catch (error) {
  parentPort.postMessage({ error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
}
