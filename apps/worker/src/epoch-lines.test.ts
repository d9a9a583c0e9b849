import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ultralyticsDetectProfile, yolov5Profile } from '@hyperevolve/ga-core';
import { progressFileLines, resultsCsvLines } from './epoch-lines.js';

const csv = () => resultsCsvLines(yolov5Profile.metricNames, yolov5Profile.firstEpochNumber);

describe('results.csv lines', () => {
  it("reads each row of a real YOLOv5 run as epochs done with the profile's metrics", () => {
    const reader = csv();
    const [header, first, second] = readFileSync('fixtures/yolov5/results.csv', 'utf8').split('\n');
    expect(reader.read(header ?? '')).toBeNull();
    expect(reader.read(first ?? '')).toEqual({ epoch: 1 }); // --noval: not validated
    const reading = reader.read(second ?? '');
    expect(reading).toMatchObject({ epoch: 2, metrics: { 'metrics/mAP_0.5:0.95': 0.00083722 } });
    expect(Object.keys((reading as { metrics: object }).metrics).sort()).toEqual([...yolov5Profile.metricNames].sort());
  });

  it('reports no metrics for a row that was not validated (--noval zeros), null for nan', () => {
    const reader = csv();
    reader.read('epoch, metrics/precision, metrics/recall, metrics/mAP_0.5, metrics/mAP_0.5:0.95, val/box_loss');
    expect(reader.read('    0,    0,    0,    0,    0,    0')).toEqual({ epoch: 1 });
    expect(reader.read('    1,  0.5,  nan,  0.3,  0.2,  0.1')).toEqual({ epoch: 2, metrics: { 'metrics/precision': 0.5, 'metrics/recall': null, 'metrics/mAP_0.5': 0.3, 'metrics/mAP_0.5:0.95': 0.2, 'val/box_loss': 0.1 } });
  });

  it('keeps a validated epoch whose mAPs are still 0 (a young model): its val losses say it was validated', () => {
    const reader = csv();
    reader.read('epoch, metrics/precision, metrics/recall, metrics/mAP_0.5, metrics/mAP_0.5:0.95, val/box_loss');
    expect(reader.read('    0,    0,    0,    0,    0,  2.9')).toEqual({ epoch: 1, metrics: { 'metrics/precision': 0, 'metrics/recall': 0, 'metrics/mAP_0.5': 0, 'metrics/mAP_0.5:0.95': 0, 'val/box_loss': 2.9 } });
  });

  it("counts Ultralytics' epochs from 1", () => {
    const profile = ultralyticsDetectProfile;
    const reader = resultsCsvLines(profile.metricNames, profile.firstEpochNumber);
    const [header, first, second] = readFileSync('fixtures/trainer-runs/ultralytics-detect/results.csv', 'utf8').split('\n');
    expect(reader.read(header ?? '')).toBeNull();
    expect(reader.read(first ?? '')).toEqual({ epoch: 1 }); // not validated yet: all zeros
    expect(reader.read(second ?? '')).toMatchObject({ epoch: 2 });
    expect(profile.epochCount(['yolo', 'detect', 'train', 'data=coco8.yaml', 'epochs=3'])).toBe(3);
  });

  it('names what is odd instead of throwing', () => {
    const reader = csv();
    expect(reader.read('\u0000\u0000 garbage')).toMatchObject({ problem: expect.stringMatching(/no "epoch" column/) as unknown });
    reader.read('epoch, metrics/precision');
    expect(reader.read('3')).toMatchObject({ problem: expect.stringMatching(/a row of 1 cells under a header of 2/) as unknown });
    expect(reader.read('x, 0.5')).toMatchObject({ problem: expect.stringMatching(/epoch is not a whole number/) as unknown });
  });
});

describe('progress file lines', () => {
  it('reads a line as epochs done, and skips blank ones', () => {
    const reader = progressFileLines();
    expect(reader.read('{"epoch": 0, "epochs": 5, "fitness": 0.2}')).toEqual({ epoch: 1, epochs: 5, fitness: 0.2 });
    expect(reader.read('  ')).toBeNull();
    expect(reader.read('{"epoch": ')).toMatchObject({ problem: expect.stringMatching(/^not JSON/) as unknown });
  });
});
