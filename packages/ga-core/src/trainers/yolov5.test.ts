import { describe, expect, it } from 'vitest';
import { readFixture } from '../formats/read-fixture.test-support.js';
import { sampleRun } from './sample-run.test-support.js';
import { ResultsError } from './trainer-profile.js';
import { YOLOV5_METRIC_NAMES, yolov5Profile } from './yolov5.js';

const run = sampleRun(yolov5Profile, ['python', 'train.py', '--epochs', '10'], { lr0: 0.01 });

function resultsErrorOf(run: () => unknown): ResultsError {
  try {
    run();
  } catch (error) {
    if (error instanceof ResultsError) return error;
    throw error;
  }
  throw new Error('expected a ResultsError');
}

describe('yolov5 profile', () => {
  it('appends --hyp --device --project --name --exist-ok and --noval --nosave for fast trials', () => {
    expect(yolov5Profile.command(run)).toEqual({
      argv: ['python', 'train.py', '--epochs', '10', '--hyp', '/w/exp/7-2/hyp.yaml', '--device', '3', '--project', '/w/exp', '--name', '7-2', '--exist-ok', '--noval', '--nosave'],
      env: { YOLOv5_AUTOINSTALL: 'false', TORCH_FORCE_NO_WEIGHTS_ONLY_LOAD: '1' },
    });
  });

  it.each([
    [['python', '-m', 'yolov5.train', '--epochs', '3'], ['--nosave', '--noplots']],
    [['yolov5', 'train', '--epochs=1'], ['--noval', '--nosave', '--noplots']],
    [['/venv/bin/python', '/venv/lib/python3.11/site-packages/yolov5/train.py'], ['--nosave', '--noplots']],
    [['python', '-m', 'yolov5.train', '--epochs', '1', '--noplots'], ['--noval', '--nosave']],
  ])('pip YOLOv5 %j: no --noval unless one epoch (it crashes after the first), and --noplots', (command, tail) => {
    expect(yolov5Profile.command({ ...run, command }).argv.slice(command.length + 9)).toEqual(tail);
    expect(yolov5Profile.review({ command, baseHyp: {}, space: {}, fastTrials: true })).toEqual([expect.stringMatching(/^pip YOLOv5 \(7\.0\.14\): each trial gets --noplots/)]);
  });

  it("leaves a clone's train.py as it was, and says nothing about it at enqueue", () => {
    expect(yolov5Profile.review({ command: run.command, baseHyp: {}, space: {}, fastTrials: true })).toEqual([]);
    expect(yolov5Profile.command({ ...run, command: ['python', 'train.py', '--epochs', '3'] }).argv.slice(-2)).toEqual(['--noval', '--nosave']);
  });

  it('leaves out --noval --nosave when the campaign opts out, and says cpu for the CPU', () => {
    const { argv, env } = yolov5Profile.command({ ...run, fastTrials: false, device: 'cpu' });
    expect(argv.slice(4)).toEqual(['--hyp', '/w/exp/7-2/hyp.yaml', '--device', 'cpu', '--project', '/w/exp', '--name', '7-2', '--exist-ok']);
    expect(env).not.toHaveProperty('CUDA_VISIBLE_DEVICES');
  });

  it('adds --noplots once when the campaign keeps no plots, and nothing when it keeps them', () => {
    expect(yolov5Profile.command({ ...run, plots: false }).argv.slice(-3)).toEqual(['--noval', '--nosave', '--noplots']);
    expect(yolov5Profile.command({ ...run, plots: true }).argv).not.toContain('--noplots');
    const own = yolov5Profile.command({ ...run, plots: false, command: ['python', 'train.py', '--noplots'] }).argv;
    expect(own.filter((word) => word === '--noplots')).toHaveLength(1);
  });

  it("does not change the campaign's command array", () => {
    const command = ['python', 'train.py'];
    yolov5Profile.command({ ...run, command });
    expect(command).toEqual(['python', 'train.py']);
  });

  it('reads results.csv inside the run directory, as --project/--name put it, and follows it per epoch', () => {
    expect(yolov5Profile.resultsPath(run)).toBe(`${run.projectDir}/${run.runName}/results.csv`);
    expect(yolov5Profile.epochLog.path(run)).toBe(`${run.projectDir}/${run.runName}/results.csv`);
  });

  it('reads the last epoch as a record keyed by the 7 evolve metric names', () => {
    const header = '               epoch,      train/box_loss,      train/obj_loss,      train/cls_loss,   metrics/precision,      metrics/recall,     metrics/mAP_0.5,metrics/mAP_0.5:0.95,        val/box_loss,        val/obj_loss,        val/cls_loss,               x/lr0,               x/lr1,               x/lr2';
    const row0 = '                   0,            0.1,            0.05,            0.02,                   0,                   0,                   0,                   0,                0.09,               0.04,               0.01,              0.01,              0.01,              0.01';
    const row1 = '                   1,            0.08,            0.04,            0.01,               0.71,               0.62,               0.68,               0.45,               0.031,                0.02,               0.005,              0.01,              0.01,              0.01';
    const measured = yolov5Profile.parseResults(`${header}\n${row0}\n${row1}\n`, 'r.csv');
    expect(measured.fitness).toBeNull();
    expect(measured.metrics).toEqual(Object.fromEntries(YOLOV5_METRIC_NAMES.map((name, i) => [name, [0.71, 0.62, 0.68, 0.45, 0.031, 0.02, 0.005][i]])));
    expect(Object.keys(measured.metrics ?? {})).toEqual([...YOLOV5_METRIC_NAMES]);
  });

  it("reads YOLOv5's own results.csv", () => {
    expect(Object.values(yolov5Profile.parseResults(readFixture('results.csv'), 'results.csv').metrics ?? {})).toEqual([0.0038854, 0.51471, 0.0042443, 0.00083722, 0.11598, 0.0080742, 0.027078]);
  });

  it('says metrics-nan when the last epoch has nan metrics (a diverged run), results-garbled for a broken file', () => {
    const header = 'epoch,train/box_loss,train/obj_loss,train/cls_loss,metrics/precision,metrics/recall,metrics/mAP_0.5,metrics/mAP_0.5:0.95,val/box_loss,val/obj_loss,val/cls_loss,x/lr0,x/lr1,x/lr2';
    const nan = resultsErrorOf(() => yolov5Profile.parseResults(`${header}\n0,1,1,1,0.1,0.1,0.1,0.1,1,1,1,0.01,0.01,0.01\n1,nan,nan,nan,nan,nan,nan,nan,nan,nan,nan,0.01,0.01,0.01\n`, 'r.csv'));
    expect(nan.kind).toBe('metrics-nan');
    expect(nan.message).toContain('nan');
    expect(resultsErrorOf(() => yolov5Profile.parseResults('this is not, a results file\n1,2\n', 'r.csv')).kind).toBe('results-garbled');
  });

  it("weighs P, R, mAP@0.5 and mAP@0.5:0.95 with YOLOv5's [0, 0, 0.1, 0.9]", () => {
    expect(yolov5Profile.fitnessMetrics).toEqual(['metrics/precision', 'metrics/recall', 'metrics/mAP_0.5', 'metrics/mAP_0.5:0.95']);
    expect(yolov5Profile.defaultFitnessWeights).toEqual([0, 0, 0.1, 0.9]);
  });
});

describe('yolov5Profile.epochCount', () => {
  it("reads train.py's --epochs (the last one, either spelling), undefined without one", () => {
    expect(yolov5Profile.epochCount(['python', 'train.py', '--epochs', '10', '--data', 'x'])).toBe(10);
    expect(yolov5Profile.epochCount(['python', 'train.py', '--epochs=5', '--epochs', '7'])).toBe(7);
    expect(yolov5Profile.epochCount(['python', 'train.py', '--epochs', 'ten'])).toBeUndefined();
    expect(yolov5Profile.epochCount(['python', 'train.py'])).toBeUndefined();
  });
});
