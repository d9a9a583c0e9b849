import { describe, expect, it } from 'vitest';
import { readTrainerRun } from '../formats/read-fixture.test-support.js';
import { GaInputError } from '../ga-input-error.js';
import { withIntegerHyps } from '../ga/space.js';
import { sampleRun } from './sample-run.test-support.js';
import type { CampaignPlan } from './trainer-profile.js';
import { ResultsError } from './trainer-profile.js';
import { ultralyticsDetectProfile as profile, ultralyticsPoseProfile, ultralyticsSegmentProfile } from './ultralytics.js';
import { ULTRALYTICS_TUNER_BASE_HYP, ULTRALYTICS_TUNER_SPACE } from './ultralytics-defaults.js';
import { commandDataName, commandTask } from './ultralytics-command.js';

const command = ['yolo', 'detect', 'train', 'data=coco8.yaml', 'model=yolo11n.pt', 'epochs=10', 'imgsz=640'];

const run = sampleRun(profile, command, { lr0: 1e-5, momentum: 0.9, box: 7, close_mosaic: 4 });

const plan = (overrides: Partial<CampaignPlan> = {}): CampaignPlan => ({
  command,
  baseHyp: ULTRALYTICS_TUNER_BASE_HYP,
  space: withIntegerHyps(ULTRALYTICS_TUNER_SPACE, profile.integerHyps),
  fastTrials: true,
  ...overrides,
});

function problemOf(review: () => unknown): string {
  try {
    review();
  } catch (error) {
    if (error instanceof GaInputError) return error.message;
    throw error;
  }
  throw new Error('expected a GaInputError');
}

describe('ultralytics profile: the trial command', () => {
  it('appends the hyps as key=value (PyYAML float spelling, integer hyps as ints), AdamW, device, project, name, exist_ok and the fast-trial settings', () => {
    expect(profile.command(run)).toEqual({
      argv: [
        ...command,
        'lr0=1.0e-05', 'momentum=0.9', 'box=7.0', 'close_mosaic=4',
        'optimizer=AdamW', 'device=3', 'project=/w/exp', 'name=7-2', 'exist_ok=True',
        'val=False', 'save=False', 'plots=False',
      ],
      env: { YOLO_AUTOINSTALL: 'false' },
    });
  });

  it("keeps the command's own optimizer and fast-trial settings, and adds none of the latter when the campaign opts out", () => {
    const own = [...command, 'optimizer=SGD', 'val=True'];
    const argv = profile.command({ ...run, command: own }).argv;
    expect(argv.filter((word) => word.startsWith('optimizer='))).toEqual(['optimizer=SGD']);
    expect(argv.filter((word) => /^(val|save|plots)=/.test(word))).toEqual(['val=True', 'save=False', 'plots=False']);
    expect(profile.command({ ...run, fastTrials: false, device: 'cpu' }).argv.slice(-5)).toEqual(['optimizer=AdamW', 'device=cpu', 'project=/w/exp', 'name=7-2', 'exist_ok=True']);
  });

  it('adds plots=False to full trials when the campaign keeps no plots; the command\'s own plots= wins', () => {
    expect(profile.command({ ...run, fastTrials: false, plots: false }).argv.at(-1)).toBe('plots=False');
    expect(profile.command({ ...run, fastTrials: false, plots: true }).argv.filter((word) => word.startsWith('plots='))).toEqual([]);
    expect(profile.command({ ...run, plots: false }).argv.filter((word) => word.startsWith('plots='))).toEqual(['plots=False']);
    expect(profile.command({ ...run, fastTrials: false, plots: false, command: [...command, 'plots=True'] }).argv.filter((word) => word.startsWith('plots='))).toEqual(['plots=True']);
  });

  it('reads results.csv in the run directory that project= and name= give, and follows it per epoch', () => {
    expect(profile.resultsPath(run)).toBe(`${run.projectDir}/${run.runName}/results.csv`);
    expect(profile.epochLog.path(run)).toBe(`${run.projectDir}/${run.runName}/results.csv`);
  });
});

describe('ultralytics profile: results', () => {
  it("reads a real detect run's last epoch as a record of the (B) metrics and val losses", () => {
    const measured = profile.parseResults(readTrainerRun('ultralytics-detect/results.csv'), 'results.csv');
    expect(measured).toEqual({
      fitness: null,
      metrics: {
        'metrics/precision(B)': 0, 'metrics/recall(B)': 0, 'metrics/mAP50(B)': 0, 'metrics/mAP50-95(B)': 0,
        'val/box_loss': 1.49191, 'val/cls_loss': 2.1655, 'val/dfl_loss': 0.86634,
      },
    });
  });

  it('weighs mAP50-95 alone (Ultralytics 8.4 Metric.fitness); segment and pose add their second mAP50-95', () => {
    expect(profile.fitnessMetrics).toEqual(['metrics/precision(B)', 'metrics/recall(B)', 'metrics/mAP50(B)', 'metrics/mAP50-95(B)']);
    expect(profile.defaultFitnessWeights).toEqual([0, 0, 0, 1]);
    expect(ultralyticsSegmentProfile.fitnessMetrics.at(-1)).toBe('metrics/mAP50-95(M)');
    expect(ultralyticsSegmentProfile.defaultFitnessWeights).toEqual([0, 0, 0, 1, 0, 0, 0, 1]);
    expect(ultralyticsPoseProfile.fitnessMetrics.at(-1)).toBe('metrics/mAP50-95(P)');
  });

  it('takes a val loss the model family does not log as NaN, but a missing metric is results-garbled and a nan metric metrics-nan', () => {
    const header = 'epoch,time,metrics/precision(B),metrics/recall(B),metrics/mAP50(B),metrics/mAP50-95(B),val/box_loss,val/cls_loss,val/l1_loss';
    const measured = profile.parseResults(`${header}\n1,2.5,0.5,0.25,0.125,0.0625,1.5,2.5,0.5\n`, 'r.csv');
    expect(measured.metrics?.['metrics/mAP50-95(B)']).toBe(0.0625);
    expect(measured.metrics?.['val/dfl_loss']).toBeNaN();
    const kindOf = (text: string): string => {
      try {
        profile.parseResults(text, 'r.csv');
      } catch (error) {
        if (error instanceof ResultsError) return error.kind;
      }
      return 'none';
    };
    expect(kindOf('epoch,metrics/precision(B)\n1,0.5\n')).toBe('results-garbled');
    expect(kindOf(`${header}\n1,2.5,nan,0.25,0.125,0.0625,1.5,2.5,0.5\n`)).toBe('metrics-nan');
  });

  it("defaults to the Tuner's 26 hyps at Ultralytics' defaults, in the Tuner's space, close_mosaic a whole number", () => {
    expect(Object.keys(profile.defaultHyp)).toEqual(Object.keys(profile.defaultSpace));
    expect(profile.defaultHyp).toMatchObject({ lr0: 0.01, momentum: 0.937, close_mosaic: 10 });
    expect(profile.integerHyps).toContain('close_mosaic');
    expect(profile.exports).toEqual(['evolve.csv', 'hyp_evolve.yaml', 'evolve.png', 'best_hyperparameters.yaml', 'tune_results.ndjson']);
  });
});

describe('ultralytics profile: review at enqueue', () => {
  it('says that trials get AdamW when the command names no optimizer, and nothing when it names one', () => {
    expect(profile.review(plan())).toEqual([expect.stringMatching(/optimizer=AdamW .*optimizer=auto ignores lr0 and momentum/)]);
    expect(profile.review(plan({ command: [...command, 'optimizer=SGD'] }))).toEqual([]);
  });

  it('warns that optimizer=auto makes evolving lr0 and momentum pointless', () => {
    expect(profile.review(plan({ command: [...command, 'optimizer=auto'] }))).toEqual([expect.stringMatching(/optimizer=auto ignores lr0, momentum/)]);
  });

  it.each([
    [['yolo', 'segment', 'train', 'data=x.yaml'], /trains a segment model; .*--adapter ultralytics-segment/],
    [['yolo', 'train', 'model=yolov8n-pose.yaml'], /trains a pose model; .*--adapter ultralytics-pose/],
    [['yolo', 'classify', 'train'], /classify model, which no hyperevolve profile reads/],
    [['yolo', 'detect', 'val', 'data=x.yaml'], /mode is val; a trial must train/],
    [[...command, 'device=0'], /remove device=0 from the command: each trial sets device= itself/],
    [[...command, 'name=x', 'project=p'], /remove project=p .*\n.*remove name=x/s],
    [[...command, 'lr0=0.02'], /lr0= is a hyp the campaign sets on every trial/],
  ])('refuses %j, naming the fix', (cmd, message) => {
    expect(problemOf(() => profile.review(plan({ command: cmd })))).toMatch(message);
  });

  it("refuses a YOLOv5 hyp file, a [0, 1] hyp's range beyond 1, and a fractional whole-number hyp", () => {
    expect(problemOf(() => profile.review(plan({ baseHyp: { ...ULTRALYTICS_TUNER_BASE_HYP, obj: 0.7, anchor_t: 4 } })))).toMatch(/hyps obj, anchor_t are YOLOv5's/);
    const space = { ...ULTRALYTICS_TUNER_SPACE, lr0: { gain: 1, lower: 1e-5, upper: 2 } };
    expect(problemOf(() => profile.review(plan({ space })))).toMatch(/hyp lr0: Ultralytics requires it within \[0, 1\], but its search range is \[0.00001, 2\]/);
    expect(problemOf(() => profile.review(plan({ baseHyp: { ...ULTRALYTICS_TUNER_BASE_HYP, nbs: 64.5 } })))).toMatch(/nbs = 64.5: .*whole number/);
    // Pruning needs a fitness after each rung epoch: fast trials' val=False has none before the last.
    expect(problemOf(() => profile.review(plan({ prunes: true })))).toMatch(/--prune .* fast trials add val=False, which validates only the final epoch: add --full-trials/);
    expect(profile.review(plan({ prunes: true, fastTrials: false }))).toHaveLength(1);
    expect(profile.review(plan({ prunes: true, command: [...command, 'val=True'] }))).toHaveLength(1);
    expect(problemOf(() => profile.review(plan({ prunes: true, fastTrials: false, command: [...command, 'val=False'] })))).toMatch(/the command has val=False, which validates only the final epoch: remove it/);
    expect(profile.review(plan({ baseHyp: { ...ULTRALYTICS_TUNER_BASE_HYP, nbs: 16 } }))).toHaveLength(1);
  });
});

describe('reading an Ultralytics command line', () => {
  it.each([
    [['yolo', 'detect', 'train'], 'detect'],
    [['yolo', 'train', 'task=obb'], 'obb'],
    [['yolo', 'train', 'model=runs/yolo11n-seg.pt'], 'segment'],
    [['yolo', 'train', 'model=yolov8n.yaml'], null],
    [['python', 'train.py', 'detect'], null],
  ])('%j trains task %s', (cmd, task) => {
    expect(commandTask(cmd)).toBe(task);
  });

  it.each([
    ['data=coco8.yaml', 'coco8'],
    ['data=/sets/d2/data.yaml', 'd2'],
    ['data=data.yaml', 'data'],
    ['data=./sets/coco.yml', 'coco'],
  ])('%s is filed under %s in tune_results.ndjson', (word, name) => {
    expect(commandDataName(['yolo', 'train', word])).toBe(name);
  });
});
