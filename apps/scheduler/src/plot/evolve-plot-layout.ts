/** Panel grid of evolve.png and the dashboard: up to 5 panels a row, as YOLOv5 lays them out. */
export interface EvolvePlotLayout {
  panels: number;
  columns: number;
  rows: number;
  /** Nominal size in CSS pixels; the PNG is rendered at `scale` times this. */
  width: number;
  height: number;
  panelWidth: number;
  panelHeight: number;
  scale: number;
}

const PANEL_WIDTH = 300;
const PANEL_HEIGHT = 240;
const MAX_COLUMNS = 5;
const PNG_SCALE = 4 / 3;

export function evolvePlotLayout(panels: number): EvolvePlotLayout {
  const columns = Math.max(1, Math.min(MAX_COLUMNS, panels));
  const rows = Math.max(1, Math.ceil(panels / columns));
  return {
    panels,
    columns,
    rows,
    width: columns * PANEL_WIDTH,
    height: rows * PANEL_HEIGHT,
    panelWidth: PANEL_WIDTH,
    panelHeight: PANEL_HEIGHT,
    scale: PNG_SCALE,
  };
}
