import { describe, expect, it } from 'vitest';
import { readFixture, readTrainerRun } from '../formats/read-fixture.test-support.js';
import { GaInputError } from '../ga-input-error.js';
import { inTrialDir, runFileSegments } from './epoch-log.js';
import { TRAINER_NAMES, trainerProfile } from './registry.js';
import { progressFileEpochs } from './progress-file.js';
import { resultsCsvEpochs } from './results-csv-epochs.js';
import { ultralyticsDetectProfile } from './ultralytics.js';
import { yolov5Profile } from './yolov5.js';

const csv = () => yolov5Profile.epochLog.reader();

describe('results.csv lines', () => {
  it("reads each row of a real YOLOv5 run as epochs done with the profile's metrics", () => {
    const reader = csv();
    const [header, first, second] = readFixture('results.csv').split('\n');
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
    const reader = profile.epochLog.reader();
    const [header, first, second] = readTrainerRun('ultralytics-detect/results.csv').split('\n');
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
    const reader = progressFileEpochs();
    expect(reader.read('{"epoch": 0, "epochs": 5, "fitness": 0.2}')).toEqual({ epoch: 1, epochs: 5, fitness: 0.2 });
    expect(reader.read('  ')).toBeNull();
    expect(reader.read('{"epoch": ')).toMatchObject({ problem: expect.stringMatching(/^not JSON/) as unknown });
  });
});

describe("every profile's per-epoch log", () => {
  const place = { command: ['train'], projectDir: '/w/exp', runName: '7-2', trialDir: '/w/exp/7-2' };

  it.each(TRAINER_NAMES)('%s: lies in the run\'s trial directory, as do its results', (name) => {
    const profile = trainerProfile(name);
    for (const path of [profile.epochLog.path(place), profile.resultsPath(place)]) {
      expect(path.startsWith('/w/exp/7-2/')).toBe(true);
      expect(() => runFileSegments(path.slice('/w/exp/7-2/'.length))).not.toThrow();
    }
  });

  it('may name a folder the trainer names at run time with one *, and nothing outside the trial directory', () => {
    expect(inTrialDir('*/vis_data/scalars.json')(place)).toBe('/w/exp/7-2/*/vis_data/scalars.json');
    expect(runFileSegments('work/*.log.json')).toEqual(['work', '*.log.json']);
    for (const bad of ['../x.json', 'a//b', '/abs', 'a/./b', '*/x/*.json', '']) {
      expect(() => inTrialDir(bad)).toThrow(GaInputError);
    }
  });

  it.each(TRAINER_NAMES)('%s: reads garbage as problems or nothing, never throwing, and starts afresh after a reset', (name) => {
    const reader = trainerProfile(name).epochLog.reader();
    for (const line of ['\u0000\u0000 garbage', '{"epoch": ', '[1, 2]', 'epoch', '1,2,3', '{"epoch": 1e400}', '\uFFFD'.repeat(100)]) {
      const reading = reader.read(line);
      if (reading !== null && !('problem' in reading)) expect(Number.isInteger(reading.epoch) && reading.epoch >= 1).toBe(true);
    }
    reader.reset();
  });

  it('keeps one reader per run: a CSV header read by one run is not another run\'s', () => {
    const first = resultsCsvEpochs(yolov5Profile.metricNames, 0);
    first.read('epoch, metrics/precision');
    expect(resultsCsvEpochs(yolov5Profile.metricNames, 0).read('    3,  0.5')).toMatchObject({ problem: expect.stringMatching(/no "epoch" column/) as unknown });
    expect(first.read('    3,  0.5')).toEqual({ epoch: 4, metrics: { 'metrics/precision': 0.5 } });
  });
});
