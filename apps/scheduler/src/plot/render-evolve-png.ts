import { Worker } from 'node:worker_threads';
import { z } from 'zod';
import type { EvolvePanel } from './evolve-panels.js';
import { evolvePlotLayout } from './evolve-plot-layout.js';
import { evolvePlotOption } from './evolve-plot-option.js';

export interface RenderedPlot {
  png: Uint8Array;
  width: number;
  height: number;
  /** Only when asked for (it is large: a few MB for a thousand trials). */
  svg: string | null;
}

const ReplySchema = z.union([
  z.object({ png: z.instanceof(Uint8Array), width: z.number(), height: z.number(), svg: z.string().optional() }),
  z.object({ error: z.string() }),
]);

const THREAD = new URL('./render-png-thread.js', import.meta.url);

/**
 * evolve.png: the panels drawn by ECharts' server-side SVG renderer and rasterised by resvg,
 * in a worker thread of its own (a thousand trials take seconds to draw; the scheduler's
 * event loop must keep recording meanwhile). Text uses the system's fonts.
 */
export async function renderEvolvePng(panels: readonly EvolvePanel[], options: { withSvg?: boolean; signal?: AbortSignal } = {}): Promise<RenderedPlot> {
  const layout = evolvePlotLayout(panels.length);
  const workerData = { option: evolvePlotOption(panels, layout), width: layout.width, height: layout.height, scale: layout.scale, withSvg: options.withSvg === true };
  options.signal?.throwIfAborted();
  const thread = new Worker(THREAD, { workerData });
  // A stopping scheduler must not wait seconds for a picture nobody will write.
  const abort = (): void => void thread.terminate();
  options.signal?.addEventListener('abort', abort, { once: true });
  try {
    const message = await new Promise<unknown>((resolve, reject) => {
      thread.once('message', resolve);
      thread.once('error', reject);
      thread.once('exit', (code) => reject(new Error(`the evolve.png render thread exited with code ${code} before answering`)));
    });
    const reply = ReplySchema.parse(message);
    if ('error' in reply) throw new Error(`rendering evolve.png failed: ${reply.error}`);
    return { png: reply.png, width: reply.width, height: reply.height, svg: reply.svg ?? null };
  } finally {
    options.signal?.removeEventListener('abort', abort);
    await thread.terminate();
  }
}
