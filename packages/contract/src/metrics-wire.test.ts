import { describe, expect, it } from 'vitest';
import { YOLOV5_METRIC_NAMES, metricRecord } from '@hyperevolve/ga-core';
import { MetricsWireSchema, metricsFromWire, metricsToWire } from './metrics-wire.js';
import { TrialResultSchema } from './schemas.js';

describe('metrics on the wire', () => {
  it('send NaN and infinities as null, and read null back as NaN, names and order kept', () => {
    const wire = metricsToWire({ 'metrics/precision': 0.1, 'metrics/recall': Number.NaN, 'val/box_loss': Infinity, x: 3 });
    expect(wire).toEqual({ 'metrics/precision': 0.1, 'metrics/recall': null, 'val/box_loss': null, x: 3 });
    expect(JSON.parse(JSON.stringify(wire))).toEqual(wire);
    const back = metricsFromWire(MetricsWireSchema.parse(JSON.parse(JSON.stringify(wire))));
    expect(Object.keys(back)).toEqual(['metrics/precision', 'metrics/recall', 'val/box_loss', 'x']);
    expect(back).toEqual({ 'metrics/precision': 0.1, 'metrics/recall': Number.NaN, 'val/box_loss': Number.NaN, x: 3 });
  });

  it("read the bare 7-number array releases up to 1af88bb wrote as YOLOv5's named record", () => {
    const legacy = MetricsWireSchema.parse([0.5, 0.4, null, 0.2, 0.01, null, 0.03]);
    expect(metricsFromWire(legacy)).toEqual(metricRecord(YOLOV5_METRIC_NAMES, [0.5, 0.4, Number.NaN, 0.2, 0.01, Number.NaN, 0.03]));
    expect(MetricsWireSchema.safeParse([0.5, 0.4]).success).toBe(false);
    expect(MetricsWireSchema.safeParse({ a: 'high' }).success).toBe(false);
    expect(MetricsWireSchema.safeParse({ a: Number.NaN }).success).toBe(false);
  });

  it('in a result job: a record, or a legacy array from a worker of that release', () => {
    const result = {
      v: 1, campaign: 'exp', index: 0, attempt: 1, runName: '0-1', final: true, outcome: 'succeeded', fitness: null, failure: null,
      worker: { id: 'w', host: 'h', device: 'cpu' }, command: ['x'], trialDir: '/t', logPath: '/t/train.log', startedAt: 1, finishedAt: 2,
    };
    expect(TrialResultSchema.parse({ ...result, metrics: { 'metrics/mAP_0.5': 0.3 } }).metrics).toEqual({ 'metrics/mAP_0.5': 0.3 });
    expect(Object.keys(TrialResultSchema.parse({ ...result, metrics: [1, 2, 3, 4, 5, 6, 7] }).metrics ?? {})).toEqual([...YOLOV5_METRIC_NAMES]);
  });
});
