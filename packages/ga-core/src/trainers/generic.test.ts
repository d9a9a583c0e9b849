import { describe, expect, it } from 'vitest';
import { genericProfile, parseGenericMetrics } from './generic.js';
import { sampleRun } from './sample-run.test-support.js';
import { ResultsError } from './trainer-profile.js';
import { yolov5Profile } from './yolov5.js';

const run = sampleRun(genericProfile, ['python', 'train.py', '--epochs', '10'], { lr0: 0.01 });

describe('generic profile', () => {
  it('appends nothing and describes the run in the environment', () => {
    expect(genericProfile.resultsPath(run)).toBe('/w/exp/7-2/metrics.json');
    expect(genericProfile.epochLog.path(run)).toBe('/w/exp/7-2/progress.jsonl');
    expect(genericProfile.command(run)).toEqual({
      argv: ['python', 'train.py', '--epochs', '10'],
      env: {
        HYPEREVOLVE_HYP_FILE: '/w/exp/7-2/hyp.yaml',
        HYPEREVOLVE_DEVICE: '3',
        HYPEREVOLVE_TRIAL_DIR: '/w/exp/7-2',
        HYPEREVOLVE_METRICS_FILE: '/w/exp/7-2/metrics.json',
        HYPEREVOLVE_CAMPAIGN: 'exp',
        HYPEREVOLVE_TRIAL_INDEX: '7',
        HYPEREVOLVE_PROGRESS_FILE: '/w/exp/7-2/progress.jsonl',
      },
    });
  });

  it('puts its files where its params say, naming in the environment only those without *', () => {
    const moved = genericProfile.configure?.({ metrics: 'out/metrics.json', progress: '*/progress.jsonl' });
    if (moved === undefined) throw new Error('generic takes params');
    const place = sampleRun(moved, ['python', 'fit.py'], { lr0: 0.01 });
    expect(moved.resultsPath(place)).toBe('/w/exp/7-2/out/metrics.json');
    expect(moved.epochLog.path(place)).toBe('/w/exp/7-2/*/progress.jsonl');
    const { env } = moved.command(place);
    expect(env.HYPEREVOLVE_METRICS_FILE).toBe('/w/exp/7-2/out/metrics.json');
    expect(env).not.toHaveProperty('HYPEREVOLVE_PROGRESS_FILE');
    expect(genericProfile.configure?.({})).toMatchObject({ name: 'generic', params: genericProfile.params });
    expect(genericProfile.configure?.({})?.resultsPath(run)).toBe('/w/exp/7-2/metrics.json');
  });

  it.each([
    [{ metrics: '../elsewhere.json' }, /^adapter generic: .*"\.\.\/elsewhere\.json" must be a path inside the run's directory.*\. adapter generic takes metrics \(/],
    [{ progress: 3 }, /^adapter generic: .*string.*\. adapter generic takes metrics/],
    [{ metric: 'm.json' }, /^adapter generic has no param "metric"\. adapter generic takes metrics \(the result file, .*; default metrics\.json\), progress \(.*; default progress\.jsonl\)$/],
  ])('refuses params %j, naming the param and listing those it takes', (params, message) => {
    expect(() => genericProfile.configure?.(params)).toThrow(message);
  });

  it("speaks YOLOv5's metrics, weights, hyps, space and files", () => {
    for (const part of ['metricNames', 'fitnessMetrics', 'defaultFitnessWeights', 'defaultHyp', 'defaultSpace', 'exports'] as const) {
      expect(genericProfile[part]).toBe(yolov5Profile[part]);
    }
  });
});

describe('parseGenericMetrics', () => {
  const seven = {
    'metrics/precision': 0.7,
    'metrics/recall': 0.6,
    'metrics/mAP_0.5': 0.5,
    'metrics/mAP_0.5:0.95': 0.4,
    'val/box_loss': 0.03,
    'val/obj_loss': null,
    'val/cls_loss': 'nan',
  };

  it('takes the 7 metrics as a record, null and "nan" as NaN', () => {
    const parsed = parseGenericMetrics(JSON.stringify(seven), 'm.json');
    expect(parsed.fitness).toBeNull();
    expect(parsed.metrics).toEqual({ ...seven, 'val/obj_loss': Number.NaN, 'val/cls_loss': Number.NaN });
  });

  it('takes the 7 metrics with a fitness, or a fitness alone', () => {
    expect(parseGenericMetrics(JSON.stringify({ ...seven, fitness: 0.9 }), 'm.json').fitness).toBe(0.9);
    expect(parseGenericMetrics('{"fitness": -1.5}', 'm.json')).toEqual({ metrics: null, fitness: -1.5 });
  });

  it.each([
    ['not json', /m\.json is not JSON/],
    ['[1,2]', /m\.json must hold a JSON object/],
    ['{}', /m\.json: fitness: .*expected either all 7 metrics/],
    ['{"fitness": "high"}', /fitness/],
    ['{"fitness": null}', /fitness/],
    [JSON.stringify({ 'metrics/precision': 0.1 }), /metrics\/recall/],
    [JSON.stringify({ ...seven, 'metrics/recall': '0.6' }), /metrics\/recall/],
  ])('%s → results-garbled naming the field', (text, message) => {
    let thrown: unknown;
    try {
      parseGenericMetrics(text, 'm.json');
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ResultsError);
    expect((thrown as ResultsError).kind).toBe('results-garbled');
    expect((thrown as ResultsError).message).toMatch(message);
  });
});
