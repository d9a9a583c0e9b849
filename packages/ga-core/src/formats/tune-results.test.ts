import { describe, expect, it } from 'vitest';
import { GaInputError } from '../ga-input-error.js';
import { ULTRALYTICS_METRIC_COLUMNS } from '../trainers/ultralytics-defaults.js';
import { writeBestHyperparametersYaml } from './best-hyperparameters-yaml.js';
import { readTrainerRun } from './read-fixture.test-support.js';
import { parseTuneResults, tuneResultsLine } from './tune-results.js';

const METRICS = [...ULTRALYTICS_METRIC_COLUMNS.detect, 'val/box_loss', 'val/cls_loss', 'val/dfl_loss'];
const tuned = readTrainerRun('ultralytics-tune/tune_results.ndjson');

describe("Ultralytics' tune_results.ndjson", () => {
  it("is written byte for byte as the real Tuner wrote each line (ours carries the campaign's fitness)", () => {
    const lines = tuned.trim().split('\n');
    const { rows } = parseTuneResults(tuned, METRICS, 'tune_results.ndjson');
    rows.forEach((row, i) => {
      const original = JSON.parse(lines[i] ?? '') as { save_dirs: Record<string, string> };
      const line = tuneResultsLine({
        iteration: i + 1, fitness: 0, hyp: row.hyp, integerHyps: ['close_mosaic'], dataset: 'd2', metricNames: METRICS, metrics: row.metrics, saveDir: original.save_dirs.d2,
      });
      expect(line).toBe(`${lines[i] ?? ''}\n`);
    });
  });

  it('reads back into hyps in file order and metrics by name; a failed data set, or none, gives NaN metrics', () => {
    const { hypNames, rows } = parseTuneResults(tuned, METRICS);
    expect(hypNames[0]).toBe('lr0');
    expect(hypNames.at(-1)).toBe('close_mosaic');
    expect(rows[1]?.hyp).toMatchObject({ weight_decay: 0.00025, box: 3.23986, close_mosaic: 10 });
    expect(rows[0]?.metrics).toMatchObject({ 'val/box_loss': 1.56494, 'metrics/mAP50-95(B)': 0 });
    const failed = parseTuneResults(
      '{"iteration": 1, "fitness": 0.0, "hyperparameters": {"lr0": 0.01}, "datasets": {"a": {"metrics/mAP50-95(B)": 0.0, "fitness": 0.0}}, "failed_datasets": ["a"]}\n' +
        '{"iteration": 2, "fitness": NaN, "hyperparameters": {"lr0": 0.02}}\n',
      METRICS,
    );
    expect(failed.rows.map((row) => row.metrics['metrics/mAP50-95(B)'])).toEqual([Number.NaN, Number.NaN]);
  });

  it("writes a row without a fitness as the Tuner writes a failed run, which reads back as one", () => {
    const line = tuneResultsLine({ iteration: 2, fitness: Number.NaN, hyp: { lr0: 0.01 }, integerHyps: [], dataset: 'd', metricNames: METRICS, metrics: {} });
    expect(line).toBe('{"iteration": 2, "fitness": 0.0, "hyperparameters": {"lr0": 0.01}, "datasets": {"d": {"fitness": 0.0}}, "failed_datasets": ["d"]}\n');
    expect(parseTuneResults(line, METRICS).rows[0]?.metrics['metrics/mAP50-95(B)']).toBeNaN();
  });

  it('averages the metrics of a multi-data tune, as its fitness averages theirs', () => {
    const two = '{"iteration": 1, "fitness": 0.3, "hyperparameters": {"lr0": 0.01}, "datasets": {"a": {"metrics/mAP50-95(B)": 0.2}, "b": {"metrics/mAP50-95(B)": 0.4}}}\n';
    expect(parseTuneResults(two, METRICS).rows[0]?.metrics['metrics/mAP50-95(B)']).toBeCloseTo(0.3, 12);
  });

  it.each([
    ['{"iteration": 1', /line 1 is not JSON/],
    ['{"iteration": 1, "fitness": 0.1, "hyperparameters": {"lr0": "x"}}', /line 1: .*hyperparameters/],
    ['{"hyperparameters": {"lr0": 0.01}}\n{"hyperparameters": {"lrf": 0.01}}', /line 2 has the hyps lrf, but line 1 has lr0/],
    ['\n\n', /no tuning results/],
  ])('refuses %j, naming the line', (text, message) => {
    expect(() => parseTuneResults(text, METRICS, 't.ndjson')).toThrow(GaInputError);
    expect(() => parseTuneResults(text, METRICS, 't.ndjson')).toThrow(message);
  });
});

describe("Ultralytics' best_hyperparameters.yaml", () => {
  it('has comment lines, then the hyps as the real Tuner dumped them (integer hyps as ints, PyYAML floats)', () => {
    const real = readTrainerRun('ultralytics-tune/best_hyperparameters.yaml');
    const body = real.split('\n').filter((line) => !line.startsWith('#')).join('\n');
    const { rows } = parseTuneResults(tuned, METRICS);
    const ours = writeBestHyperparametersYaml({ comments: ['best of 2', 'second\nline'], hyp: rows[0]?.hyp ?? {}, integerHyps: ['close_mosaic'] });
    expect(ours).toBe(`# best of 2\n# second line\n${body}`);
    expect(writeBestHyperparametersYaml({ comments: [], hyp: { lr0: 1e-5, close_mosaic: 3 }, integerHyps: ['close_mosaic'] })).toBe('lr0: 1.0e-05\nclose_mosaic: 3\n');
  });

  it('ends with the settings every trial trained with, as strings YAML reads back as the same strings', () => {
    const settings = [['optimizer', 'AdamW'], ['cache', 'true'], ['note', 'a: b']] as const;
    expect(writeBestHyperparametersYaml({ comments: ['c'], hyp: { lr0: 0.01 }, integerHyps: [], settings })).toBe('# c\nlr0: 0.01\noptimizer: AdamW\ncache: "true"\nnote: "a: b"\n');
    expect(() => writeBestHyperparametersYaml({ comments: [], hyp: { lr0: 0.01 }, integerHyps: [], settings: [['lr0', 'x']] })).toThrow(/"lr0" is both a hyp and a setting/);
  });
});
