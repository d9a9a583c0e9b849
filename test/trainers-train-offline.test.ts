import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ULTRALYTICS_FITNESS_WEIGHTS, ULTRALYTICS_METRIC_COLUMNS } from '../packages/ga-core/src/trainers/ultralytics-defaults.js';
import { ROOT } from './support/processes.js';
import {
  offlineTrainerEnv,
  requireTrainerStack,
  runHelper,
  runTrainerTool,
  trainerStackSkipReason,
  failureText,
  makeTinyDataset,
  type Finished,
  TRAINER_TEST_TIMEOUT_MS,
} from './support/trainer-stack.js';

const SKIP = trainerStackSkipReason();

interface TrialFacts {
  fitness: number;
  row: Record<string, number>;
  hyps: Record<string, unknown>;
  args: Record<string, unknown>;
}

let scratch = '';
let dataYaml = '';

/** Runs a trainer with the network guard and returns its result and every blocked attempt. */
async function trainOffline(tool: string, args: string[], name: string): Promise<{ done: Finished; attempts: string }> {
  const netLog = join(scratch, `${name}.net.log`);
  const done = await runTrainerTool(tool, args, offlineTrainerEnv(netLog), scratch);
  const attempts = existsSync(netLog) ? await readFile(netLog, 'utf8') : '';
  return { done, attempts };
}


describe.skipIf(SKIP !== null)(`real trainers train offline on the CPU${SKIP === null ? '' : ` (skipped: ${SKIP})`}`, { timeout: TRAINER_TEST_TIMEOUT_MS }, () => {
  beforeAll(async () => {
    requireTrainerStack();
    scratch = await mkdtemp(join(tmpdir(), 'hyperevolve-train-offline-'));
    dataYaml = await makeTinyDataset(join(scratch, 'data'));
  }, TRAINER_TEST_TIMEOUT_MS);
  afterAll(async () => {
    if (scratch) await rm(scratch, { recursive: true, force: true });
  });

  it('the network guard blocks and logs what a trainer tries to reach (here: Ultralytics without YOLO_OFFLINE)', async () => {
    const netLog = join(scratch, 'guard.net.log');
    const { YOLO_OFFLINE: _dropped, ...env } = offlineTrainerEnv(netLog);
    const done = await runTrainerTool('python', ['-c', 'import ultralytics'], { ...env, YOLO_OFFLINE: '0' }, scratch);
    expect(done.code, failureText(done)).toBe(0);
    expect(await readFile(netLog, 'utf8')).toMatch(/socket\.getaddrinfo one\.one\.one\.one:0 from ultralytics\/utils\/__init__\.py:\d+/);
  }, TRAINER_TEST_TIMEOUT_MS);

  it('Ultralytics `yolo detect train` trains a yaml-built YOLOv8n with key=value hyps and fast-trial settings, fetching nothing', async () => {
    const { done, attempts } = await trainOffline('yolo', [
      'detect', 'train', `data=${dataYaml}`, 'model=yolov8n.yaml', 'epochs=1', 'imgsz=64', 'batch=8', 'workers=0',
      'device=cpu', `project=${join(scratch, 'ultralytics')}`, 'name=0-1', 'exist_ok=True',
      'val=False', 'save=False', 'plots=False', 'optimizer=SGD', 'lr0=0.0123', 'momentum=0.9', 'close_mosaic=3',
    ], 'ultralytics');
    expect(done.code, failureText(done)).toBe(0);
    expect(attempts).toBe('');
    const run = join(scratch, 'ultralytics', '0-1');
    const facts = await runHelper<TrialFacts>('trial-facts.py', [run]);
    const mine = ULTRALYTICS_METRIC_COLUMNS.detect.reduce((sum, c, i) => sum + (facts.row[c] ?? NaN) * (ULTRALYTICS_FITNESS_WEIGHTS.detect[i] ?? NaN), 0);
    expect(facts.fitness).toBeCloseTo(mine, 12);
    expect(facts.hyps).toMatchObject({ lr0: 0.0123, momentum: 0.9 });
    expect(facts.args).toMatchObject({ optimizer: 'SGD', close_mosaic: 3, val: false, save: false, plots: false });
    // save=False still saves the final epoch's weights; plots=False draws nothing.
    expect((await readdir(join(run, 'weights'))).sort()).toEqual(['best.pt', 'last.pt']);
    expect((await readdir(run)).filter((f) => /\.(png|jpg)$/.test(f))).toEqual([]);
  }, TRAINER_TEST_TIMEOUT_MS);

  it('pip YOLOv5 7.0.14 `python -m yolov5.train` trains a yaml-built YOLOv5n with --hyp and --noval --nosave, fetching nothing', async () => {
    const base = await readFile(join(ROOT, 'fixtures/yolov5/hyp.scratch-low.yaml'), 'utf8');
    const hyp = join(scratch, 'hyp.yaml');
    await writeFile(hyp, base.replace(/^lr0: .*$/m, 'lr0: 0.0123').replace(/^momentum: .*$/m, 'momentum: 0.9'));
    const { done, attempts } = await trainOffline('python', [
      '-m', 'yolov5.train', '--data', dataYaml, '--cfg', 'yolov5n.yaml', '--weights', '', '--hyp', hyp, '--epochs', '1',
      '--imgsz', '64', '--batch-size', '8', '--workers', '0', '--device', 'cpu', '--project', join(scratch, 'yolov5'),
      '--name', '0-1', '--exist-ok', '--noval', '--nosave', '--noplots',
    ], 'yolov5');
    expect(done.code, failureText(done)).toBe(0);
    expect(attempts).toBe('');
    const facts = await runHelper<TrialFacts>('trial-facts.py', [join(scratch, 'yolov5', '0-1')]);
    expect(facts.fitness).toBeCloseTo(0.1 * (facts.row['metrics/mAP_0.5'] ?? NaN) + 0.9 * (facts.row['metrics/mAP_0.5:0.95'] ?? NaN), 12);
    expect(facts.hyps).toMatchObject({ lr0: 0.0123, momentum: 0.9, box: 0.05 });
  }, TRAINER_TEST_TIMEOUT_MS);
});
