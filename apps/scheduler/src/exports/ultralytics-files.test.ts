import { describe, expect, it } from 'vitest';
import { ULTRALYTICS_TUNER_BASE_HYP, metricRecord, parseTuneResults, ultralyticsDetectProfile, type Hyp } from '@hyperevolve/ga-core';
import type { CampaignConfig } from '@hyperevolve/contract';
import { renderBestHyperparameters, renderTuneResultsLines } from './ultralytics-files.js';
import type { RecordedRow } from '@hyperevolve/trial-store';

const profile = ultralyticsDetectProfile;
const config = {
  name: 'tune',
  adapter: 'ultralytics',
  command: ['yolo', 'detect', 'train', 'data=/sets/d2/data.yaml', 'model=yolov8n.yaml'],
  baseHyp: ULTRALYTICS_TUNER_BASE_HYP,
} as unknown as CampaignConfig;

const row = (hyp: Hyp, map: number, trialDir?: string): RecordedRow => ({
  hyp,
  metrics: metricRecord(profile.metricNames, [0.5, 0.25, 0.125, map, 1.5, 2.5, 0.75]),
  fitness: map,
  trialDir,
});

describe('the Ultralytics exports of a campaign', () => {
  it('tune_results.ndjson: one line per row, iterations counted from the first row given, filed under the data set', () => {
    const lines = renderTuneResultsLines(config, [row(ULTRALYTICS_TUNER_BASE_HYP, 0.0123456, '/w/tune/3-1'), row({ ...ULTRALYTICS_TUNER_BASE_HYP, close_mosaic: 4 }, 0.5)], 2);
    expect(lines).toHaveLength(2);
    const [first, second] = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(first).toMatchObject({ iteration: 3, fitness: 0.01235, save_dirs: { d2: '/w/tune/3-1' } });
    expect(first?.datasets).toEqual({ d2: expect.objectContaining({ 'metrics/mAP50-95(B)': 0.01235, 'val/dfl_loss': 0.75, fitness: 0.01235 }) });
    expect(second).not.toHaveProperty('save_dirs');
    expect(lines[1]).toContain('"close_mosaic": 4}');
    // What we write, --seed-from reads back.
    expect(parseTuneResults(lines.join(''), profile.metricNames).rows[1]?.hyp).toEqual({ ...ULTRALYTICS_TUNER_BASE_HYP, close_mosaic: 4 });
  });

  it('best_hyperparameters.yaml: says which trial it is and the command that trains as the trials did, then the hyps and the optimizer they trained with', () => {
    const text = renderBestHyperparameters(config, row(ULTRALYTICS_TUNER_BASE_HYP, 0.5, '/w/tune/3-1'), 3, 1, 4);
    expect(text).toMatch(/^# hyperevolve campaign tune \(adapter ultralytics\): the best of 4 trials so far\n# best: trial 3 \(iteration 2 of tune_results.ndjson\), fitness 0.5\n# metrics: metrics\/precision\(B\)=0.5, .*\n# trained in \/w\/tune\/3-1\n# use: yolo detect train cfg=best_hyperparameters.yaml data=\/sets\/d2\/data.yaml model=yolov8n.yaml\nlr0: 0.01\n/);
    expect(text.endsWith('copy_paste: 0.0\nclose_mosaic: 10\noptimizer: AdamW\n')).toBe(true);
  });

  it("best_hyperparameters.yaml: the command's own optimizer, and its settings after cfg= (quoted for a shell where they need it)", () => {
    const own = { ...config, command: ['/venv/bin/yolo', 'train', 'model=yolov8n.yaml', 'data=/my sets/d.yaml', 'optimizer=SGD', 'epochs=30'] } as CampaignConfig;
    const text = renderBestHyperparameters(own, row(ULTRALYTICS_TUNER_BASE_HYP, 0.5), 0, 0, 1);
    expect(text).toContain("\n# use: /venv/bin/yolo train cfg=best_hyperparameters.yaml model=yolov8n.yaml 'data=/my sets/d.yaml' optimizer=SGD epochs=30\n");
    expect(text.endsWith('close_mosaic: 10\noptimizer: SGD\n')).toBe(true);
  });
});
