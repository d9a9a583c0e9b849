import { mkdtemp, mkdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { trainerProfile } from '@hyperevolve/ga-core';
import { TrialFailure } from './trial-failure.js';
import { readRunResults } from './run-results.js';

async function failureOf(promise: Promise<unknown>): Promise<TrialFailure> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof TrialFailure) return error;
    throw error;
  }
  throw new Error('expected a TrialFailure');
}

describe('readRunResults', () => {
  const yolov5 = trainerProfile('yolov5');

  it('reads the profile\'s results file and reports the profile\'s verdict as the trial failure kind', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'worker-results-'));
    const header = 'epoch,train/box_loss,train/obj_loss,train/cls_loss,metrics/precision,metrics/recall,metrics/mAP_0.5,metrics/mAP_0.5:0.95,val/box_loss,val/obj_loss,val/cls_loss,x/lr0,x/lr1,x/lr2';
    const path = join(dir, 'results.csv');
    await writeFile(path, `${header}\n0,1,1,1,0.71,0.62,0.68,0.45,0.031,0.02,0.005,0.01,0.01,0.01\n`);
    expect((await readRunResults(yolov5, path)).metrics).toMatchObject({ 'metrics/precision': 0.71, 'val/cls_loss': 0.005 });
    await writeFile(path, `${header}\n0,1,1,1,nan,nan,nan,nan,nan,nan,nan,0.01,0.01,0.01\n`);
    expect((await failureOf(readRunResults(yolov5, path))).kind).toBe('metrics-nan');
    await writeFile(path, 'this is not, a results file\n1,2\n');
    expect((await failureOf(readRunResults(yolov5, path))).kind).toBe('results-garbled');
  });

  it('fails results-missing naming the file and the profile\'s hint', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'worker-results-'));
    const missing = await failureOf(readRunResults(yolov5, join(dir, '7-2', 'results.csv')));
    expect(missing.kind).toBe('results-missing');
    expect(missing.message).toContain(join(dir, '7-2', 'results.csv'));
    expect(missing.message).toContain("is the command YOLOv5's train.py (adapter yolov5)?");
    const generic = await failureOf(readRunResults(trainerProfile('generic'), join(dir, 'metrics.json')));
    expect(generic.message).toMatch(/must write its metrics to \$HYPEREVOLVE_METRICS_FILE/);
    await mkdir(join(dir, 'x'));
    await writeFile(join(dir, 'x', 'metrics.json'), '{"fitness": 0.5}');
    expect(await readRunResults(trainerProfile('generic'), join(dir, 'x', 'metrics.json'))).toEqual({ metrics: null, fitness: 0.5 });
  });
});
