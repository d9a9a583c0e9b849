import { describe, expect, it } from 'vitest';
import { YOLOV5_METRIC_NAMES, YOLOV5_RESULTS_COLUMNS } from '@hyperevolve/ga-core';
import { qualityToMetrics } from './landscape.js';
import { qualityAfter } from './learning-curve.js';
import { epochRow } from './training-curve.js';

const hyp = { lr0: 0.01, lrf: 0.1, warmup_epochs: 1, warmup_bias_lr: 0.1 };
const rows = (noval: boolean, diverged = false) =>
  [0, 1, 2, 3].map((epoch) =>
    epochRow({ hyp, quality: qualityAfter({ epochs: 4, rankCorrelation: 1, firstRung: 1 }, 0.5, 0, epoch + 1), epoch, epochs: 4, noval, diverged }),
  );
const metricsOf = (row: Record<string, number>) => YOLOV5_METRIC_NAMES.map((name) => row[name]);

describe('epochRow', () => {
  it("fills every one of YOLOv5's results.csv columns", () => {
    expect(Object.keys(rows(false)[0] ?? {}).sort()).toEqual([...YOLOV5_RESULTS_COLUMNS].sort());
  });

  it('reaches the final metrics exactly at the last epoch, climbing to them', () => {
    const all = rows(false);
    expect(metricsOf(all[3] ?? {})).toEqual(Object.values(qualityToMetrics(0.5)));
    const map = all.map((row) => row['metrics/mAP_0.5:0.95'] ?? NaN);
    expect([...map].sort((a, b) => a - b)).toEqual(map);
    expect(map[0]).toBeLessThan(map[3] ?? NaN);
  });

  it('has zero metrics on every row but the last with --noval', () => {
    const all = rows(true);
    for (const row of all.slice(0, 3)) expect(metricsOf(row)).toEqual([0, 0, 0, 0, 0, 0, 0]);
    expect(metricsOf(all[3] ?? {})).toEqual(Object.values(qualityToMetrics(0.5)));
  });

  it('writes nan losses and metrics for a diverged run', () => {
    const last = rows(false, true)[3] ?? {};
    expect(metricsOf(last).every(Number.isNaN)).toBe(true);
    expect(last['train/box_loss']).toBeNaN();
  });

  it("follows YOLOv5's linear learning-rate schedule", () => {
    const all = rows(false);
    expect(all.map((row) => row['x/lr1'])).toEqual([0.01, 0.01 * (0.75 * 0.9 + 0.1), 0.01 * (0.5 * 0.9 + 0.1), 0.01 * (0.25 * 0.9 + 0.1)]);
    expect(all[0]?.['x/lr0']).toBe(0.1); // bias group starts at warmup_bias_lr
    expect(all[2]?.['x/lr0']).toBe(all[2]?.['x/lr2']);
  });
});
