import { execFileSync } from 'node:child_process';
import { link as ln, mkdtemp, mkdir, symlink, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { trainerProfile } from '@hyperevolve/ga-core';
import { TrialFailure } from './trial-failure.js';
import { readRunResults, RESULTS_MAX_BYTES } from './run-results.js';

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

  it('refuses a FIFO at once, a link to another file and a file past RESULTS_MAX_BYTES, without reading them', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'worker-results-'));
    const generic = trainerProfile('generic');
    const fifo = join(dir, 'fifo.json');
    execFileSync('mkfifo', [fifo]);
    const secret = join(dir, 'secret.json');
    await writeFile(secret, '{"fitness": 0.9}');
    const link = join(dir, 'link.json');
    await symlink(secret, link);
    const hard = join(dir, 'hard.json');
    await ln(secret, hard);
    const huge = join(dir, 'huge.json');
    await writeFile(huge, '{"fitness": 0.5}');
    await truncate(huge, RESULTS_MAX_BYTES + 1);
    for (const [path, why] of [[fifo, 'a FIFO'], [link, 'a symbolic link'], [hard, 'a file with 2 names (a hard link)']] as const) {
      const failure = await failureOf(readRunResults(generic, path));
      expect(failure.kind).toBe('results-missing');
      expect(failure.message).toContain(`${path} is ${why}, not a regular file`);
    }
    const tooLarge = await failureOf(readRunResults(generic, huge));
    expect(tooLarge.kind).toBe('results-garbled');
    expect(tooLarge.message).toContain(`is ${RESULTS_MAX_BYTES + 1} bytes, more than the ${RESULTS_MAX_BYTES}`);
  });
});
