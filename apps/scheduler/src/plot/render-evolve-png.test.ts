import { describe, expect, it } from 'vitest';
import { evolvePanels, type PopulationPoint } from './evolve-panels.js';
import { evolvePlotLayout } from './evolve-plot-layout.js';
import { renderEvolvePng } from './render-evolve-png.js';

function pngSize(png: Uint8Array): { width: number; height: number } {
  expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  expect(Buffer.from(png.subarray(12, 16)).toString('ascii')).toBe('IHDR');
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  return { width: view.getUint32(16), height: view.getUint32(20) };
}

describe('renderEvolvePng', () => {
  it('draws a valid PNG of the layout size with one titled panel per hyp', async () => {
    const hyps = ['lr0', 'momentum', 'box', 'cls', 'obj', 'hsv_h', 'mosaic'];
    const points: PopulationPoint[] = Array.from({ length: 40 }, (_, i) => ({
      index: i,
      finishedAt: i,
      fitness: 0.3 + ((i * 7) % 11) / 100,
      hyp: Object.fromEntries(hyps.map((h, k) => [h, 0.01 * (1 + ((i * (k + 3)) % 13))])),
    }));
    const panels = evolvePanels(hyps, points);
    const { png, svg, width, height } = await renderEvolvePng(panels, { withSvg: true });
    const layout = evolvePlotLayout(hyps.length);
    expect({ width, height }).toEqual({ width: Math.round(layout.width * layout.scale), height: Math.round(layout.height * layout.scale) });
    expect(pngSize(png)).toEqual({ width, height });
    for (const panel of panels) expect(svg).toContain(`>${panel.hyp} = `);
    expect(svg!.match(/ = [0-9.e+-]+<\/text>/g)).toHaveLength(hyps.length);
  });

  it('stops at once when its signal aborts (a stopping scheduler does not wait for a picture)', async () => {
    const hyps = ['lr0', 'momentum'];
    const points: PopulationPoint[] = Array.from({ length: 20 }, (_, i) => ({ index: i, finishedAt: i, fitness: i / 20, hyp: { lr0: 0.01 * (i + 1), momentum: 0.9 } }));
    const stop = new AbortController();
    const rendering = renderEvolvePng(evolvePanels(hyps, points), { signal: stop.signal });
    stop.abort();
    await expect(rendering).rejects.toThrow(/exited|abort/i);
    await expect(renderEvolvePng(evolvePanels(hyps, points), { signal: stop.signal })).rejects.toThrow(/abort/i);
  });
});
