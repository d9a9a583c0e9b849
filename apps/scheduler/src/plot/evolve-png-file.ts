import type { Logger } from 'pino';
import type { CampaignConfig } from '@hyperevolve/contract';
import type { CampaignStore } from '../campaign/campaign-store.js';
import type { ExtraFile } from '../exports/campaign-export.js';
import { evolvePanels, evolvedHyps } from './evolve-panels.js';
import type { PopulationPoints } from './population-points.js';
import { renderEvolvePng } from './render-evolve-png.js';

/** Least time between two renders of one campaign's plot. */
const EVOLVE_PNG_MIN_INTERVAL_MS = 5000;
/** A render may use at most 1/SLOWDOWN of the time: slow renders (big campaigns) space out. */
const SLOWDOWN = 4;

interface PlotState {
  /** Rows drawn by the newest render started. */
  rows: number;
  startedAt: number;
  durationMs: number;
  rendering: boolean;
  ready: Uint8Array | null;
  wake: NodeJS.Timeout | null;
  /** The background render under way, settled once its picture is in `ready`. */
  drawing: Promise<void> | null;
}

export interface EvolvePngOptions {
  store: CampaignStore;
  points: PopulationPoints;
  log: Logger;
  minIntervalMs?: number;
  /** At a clean stop, the longest the final picture of one campaign may take to draw. */
  settleDrawMs?: number;
}

/**
 * evolve.png as an extra export file. Renders run in the background, throttled per campaign;
 * a finished render asks the exporter for another pass (`requestExport`), which writes the
 * picture under the export lock like evolve.csv. A finished or cancelled campaign is drawn
 * without waiting for the throttle, so its last picture has every row soon after the last result.
 */
export class EvolvePngFile {
  readonly extra: ExtraFile;
  readonly #store: CampaignStore;
  readonly #points: PopulationPoints;
  readonly #log: Logger;
  readonly #minIntervalMs: number;
  readonly #plots = new Map<string, PlotState>();
  #requestExport: (name: string) => void = () => undefined;
  readonly #settleDrawMs: number;
  #closed = false;
  /** A clean stop is under way: renders are drawn before they return, unthrottled. */
  #settling = false;
  /** Stops renders under way when the scheduler stops. */
  readonly #stop = new AbortController();

  constructor(options: EvolvePngOptions) {
    this.#store = options.store;
    this.#points = options.points;
    this.#log = options.log;
    this.#minIntervalMs = options.minIntervalMs ?? EVOLVE_PNG_MIN_INTERVAL_MS;
    this.#settleDrawMs = options.settleDrawMs ?? 30_000;
    this.extra = { name: 'evolve.png', render: (config) => this.#render(config), settle: () => this.#settle() };
  }

  /** How a finished background render gets written: usually `service.requestExport`. */
  onReady(requestExport: (name: string) => void): void {
    this.#requestExport = requestExport;
  }

  close(): void {
    this.#closed = true;
    this.#stop.abort();
    for (const plot of this.#plots.values()) if (plot.wake !== null) clearTimeout(plot.wake);
  }

  /**
   * A clean stop: from now on a render draws before it returns, so the exporter's last write
   * is the picture of every row. Returns the campaigns whose picture may lag behind.
   */
  #settle(): string[] {
    this.#settling = true;
    for (const plot of this.#plots.values()) {
      if (plot.wake !== null) clearTimeout(plot.wake);
      plot.wake = null;
    }
    return [...this.#plots.keys()];
  }

  async #render(config: CampaignConfig): Promise<Uint8Array | null> {
    const name = config.name;
    let plot = this.#plots.get(name);
    if (plot === undefined) {
      plot = { rows: -1, startedAt: 0, durationMs: 0, rendering: false, ready: null, wake: null, drawing: null };
      this.#plots.set(name, plot);
    }
    if (this.#settling) return this.#renderNow(config, plot);
    const ready = plot.ready;
    plot.ready = null;
    const state = await this.#store.readState(name);
    const final = state !== null && (state.status === 'done' || state.status === 'cancelled');
    const rows = await this.#points.read(name);
    if (rows.length === plot.rows || plot.rendering || !rows.some((r) => Number.isFinite(r.fitness))) return ready;
    const hyps = evolvedHyps(Object.keys(config.baseHyp), config.space);
    // A finished campaign is drawn at once (no throttle), still in the background: the export
    // that asked must not wait seconds for a picture (evolve.csv's next rows would wait too).
    const due = final ? 0 : plot.startedAt + Math.max(this.#minIntervalMs, plot.durationMs * SLOWDOWN) - Date.now();
    if (due > 0) {
      if (plot.wake === null && !this.#closed) {
        plot.wake = setTimeout(() => {
          if (plot !== undefined) plot.wake = null;
          this.#requestExport(name);
        }, due);
        plot.wake.unref();
      }
      return ready;
    }
    const drawing = this.#draw(plot, hyps, rows, this.#stop.signal).then(
      (png) => {
        if (png === null || this.#closed) return;
        plot.ready = png;
        if (!this.#settling) this.#requestExport(name);
      },
      () => undefined,
    );
    plot.drawing = drawing.finally(() => {
      if (plot.drawing === drawing) plot.drawing = null;
    });
    return ready;
  }

  /** The picture of every row, drawn now (after any background render under way); null when the file already has it. */
  async #renderNow(config: CampaignConfig, plot: PlotState): Promise<Uint8Array | null> {
    if (plot.drawing !== null) await plot.drawing;
    const ready = plot.ready;
    plot.ready = null;
    const rows = await this.#points.read(config.name);
    if (rows.length === plot.rows || !rows.some((r) => Number.isFinite(r.fitness))) return ready;
    const hyps = evolvedHyps(Object.keys(config.baseHyp), config.space);
    const signal = AbortSignal.any([this.#stop.signal, AbortSignal.timeout(this.#settleDrawMs)]);
    return (await this.#draw(plot, hyps, rows, signal)) ?? ready;
  }

  async #draw(plot: PlotState, hyps: string[], rows: Parameters<typeof evolvePanels>[1], signal: AbortSignal): Promise<Uint8Array | null> {
    plot.rendering = true;
    plot.rows = rows.length;
    plot.startedAt = Date.now();
    try {
      const { png } = await renderEvolvePng(evolvePanels(hyps, rows), { signal });
      return png;
    } catch (error) {
      if (this.#closed) return null;
      this.#log.warn({ err: error }, 'drawing evolve.png failed; the next result tries again');
      plot.rows = -1;
      return null;
    } finally {
      plot.durationMs = Date.now() - plot.startedAt;
      plot.rendering = false;
    }
  }
}
