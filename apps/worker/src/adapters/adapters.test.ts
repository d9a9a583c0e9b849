import { mkdtemp, mkdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { TrialJob } from '@hyperevolve/contract';
import { TrialFailure } from '../trial-failure.js';
import { parseGenericMetrics } from './generic.js';
import { adapterFor, type RunContext } from './index.js';

const job: TrialJob = {
  v: 1,
  campaign: 'exp',
  index: 7,
  hyp: { lr0: 0.01, momentum: 0.937 },
  command: ['python', 'train.py', '--epochs', '10'],
  adapter: 'yolov5',
  timeoutMs: null,
  fastTrials: true,
};

function context(overrides: Partial<TrialJob> = {}, device: RunContext['device'] = { kind: 'gpu', index: 3 }, root = '/w'): RunContext {
  return {
    job: { ...job, ...overrides },
    device,
    runName: '7-2',
    projectDir: `${root}/exp`,
    trialDir: `${root}/exp/7-2`,
    hypPath: `${root}/exp/7-2/hyp.yaml`,
  };
}

async function failureOf(promise: Promise<unknown>): Promise<TrialFailure> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof TrialFailure) return error;
    throw error;
  }
  throw new Error('expected a TrialFailure');
}

describe('yolov5 adapter', () => {
  const yolov5 = adapterFor('yolov5');

  it('appends --hyp --device --project --name --exist-ok and --noval --nosave for fast trials', () => {
    expect(yolov5.command(context())).toEqual({
      argv: ['python', 'train.py', '--epochs', '10', '--hyp', '/w/exp/7-2/hyp.yaml', '--device', '3', '--project', '/w/exp', '--name', '7-2', '--exist-ok', '--noval', '--nosave'],
      env: { YOLOv5_AUTOINSTALL: 'false' },
    });
  });

  it('leaves out --noval --nosave when the campaign opts out, and says cpu for the CPU', () => {
    const { argv, env } = yolov5.command(context({ fastTrials: false }, { kind: 'cpu' }));
    expect(argv.slice(4)).toEqual(['--hyp', '/w/exp/7-2/hyp.yaml', '--device', 'cpu', '--project', '/w/exp', '--name', '7-2', '--exist-ok']);
    expect(env).not.toHaveProperty('CUDA_VISIBLE_DEVICES');
  });

  it('does not change the job\'s command array', () => {
    const ctx = context();
    yolov5.command(ctx);
    expect(ctx.job.command).toEqual(['python', 'train.py', '--epochs', '10']);
  });

  it('reads the last epoch of <project>/<name>/results.csv', async () => {
    const root = await mkdtemp(join(tmpdir(), 'worker-adapter-'));
    await mkdir(join(root, 'exp/7-2'), { recursive: true });
    const header = '               epoch,      train/box_loss,      train/obj_loss,      train/cls_loss,   metrics/precision,      metrics/recall,     metrics/mAP_0.5,metrics/mAP_0.5:0.95,        val/box_loss,        val/obj_loss,        val/cls_loss,               x/lr0,               x/lr1,               x/lr2';
    const row0 = '                   0,            0.1,            0.05,            0.02,                   0,                   0,                   0,                   0,                0.09,               0.04,               0.01,              0.01,              0.01,              0.01';
    const row1 = '                   1,            0.08,            0.04,            0.01,               0.71,               0.62,               0.68,               0.45,               0.031,                0.02,               0.005,              0.01,              0.01,              0.01';
    await writeFile(join(root, 'exp/7-2/results.csv'), `${header}\n${row0}\n${row1}\n`);
    const measured = await yolov5.readMetrics(context({}, { kind: 'cpu' }, root));
    expect(measured.metrics).toEqual([0.71, 0.62, 0.68, 0.45, 0.031, 0.02, 0.005]);
    expect(measured.fitness).toBeNull();
  });

  it('fails metrics-nan when the last epoch has nan metrics (a diverged run)', async () => {
    const root = await mkdtemp(join(tmpdir(), 'worker-adapter-'));
    await mkdir(join(root, 'exp/7-2'), { recursive: true });
    const header = 'epoch,train/box_loss,train/obj_loss,train/cls_loss,metrics/precision,metrics/recall,metrics/mAP_0.5,metrics/mAP_0.5:0.95,val/box_loss,val/obj_loss,val/cls_loss,x/lr0,x/lr1,x/lr2';
    await writeFile(join(root, 'exp/7-2/results.csv'), `${header}\n0,1,1,1,0.1,0.1,0.1,0.1,1,1,1,0.01,0.01,0.01\n1,nan,nan,nan,nan,nan,nan,nan,nan,nan,nan,0.01,0.01,0.01\n`);
    const failure = await failureOf(yolov5.readMetrics(context({}, { kind: 'cpu' }, root)));
    expect(failure.kind).toBe('metrics-nan');
    expect(failure.message).toContain('nan');
  });

  it('fails results-missing without results.csv and results-garbled on a broken one', async () => {
    const root = await mkdtemp(join(tmpdir(), 'worker-adapter-'));
    const missing = await failureOf(yolov5.readMetrics(context({}, { kind: 'cpu' }, root)));
    expect(missing.kind).toBe('results-missing');
    expect(missing.message).toContain(join(root, 'exp/7-2/results.csv'));
    await mkdir(join(root, 'exp/7-2'), { recursive: true });
    await writeFile(join(root, 'exp/7-2/results.csv'), 'this is not, a results file\n1,2\n');
    expect((await failureOf(yolov5.readMetrics(context({}, { kind: 'cpu' }, root)))).kind).toBe('results-garbled');
  });
});

describe('generic adapter', () => {
  const generic = adapterFor('generic');

  it('appends nothing and describes the run in the environment', () => {
    expect(generic.command(context({ adapter: 'generic' }))).toEqual({
      argv: ['python', 'train.py', '--epochs', '10'],
      env: {
        HYPEREVOLVE_HYP_FILE: '/w/exp/7-2/hyp.yaml',
        HYPEREVOLVE_DEVICE: '3',
        HYPEREVOLVE_TRIAL_DIR: '/w/exp/7-2',
        HYPEREVOLVE_METRICS_FILE: '/w/exp/7-2/metrics.json',
        HYPEREVOLVE_CAMPAIGN: 'exp',
        HYPEREVOLVE_TRIAL_INDEX: '7',
      },
    });
  });

  it('reads $HYPEREVOLVE_METRICS_FILE, and fails results-missing without it', async () => {
    const root = await mkdtemp(join(tmpdir(), 'worker-adapter-'));
    const ctx = context({ adapter: 'generic' }, { kind: 'cpu' }, root);
    expect((await failureOf(generic.readMetrics(ctx))).kind).toBe('results-missing');
    await mkdir(ctx.trialDir, { recursive: true });
    await writeFile(join(ctx.trialDir, 'metrics.json'), '{"fitness": 0.5}');
    expect(await generic.readMetrics(ctx)).toEqual({ metrics: null, fitness: 0.5, source: join(ctx.trialDir, 'metrics.json') });
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

  it('takes the 7 metrics, null and "nan" as NaN', () => {
    const parsed = parseGenericMetrics(JSON.stringify(seven), 'm.json');
    expect(parsed.fitness).toBeNull();
    expect(parsed.metrics?.slice(0, 5)).toEqual([0.7, 0.6, 0.5, 0.4, 0.03]);
    expect(Number.isNaN(parsed.metrics?.[5])).toBe(true);
    expect(Number.isNaN(parsed.metrics?.[6])).toBe(true);
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
    expect(thrown).toBeInstanceOf(TrialFailure);
    expect((thrown as TrialFailure).kind).toBe('results-garbled');
    expect((thrown as TrialFailure).message).toMatch(message);
  });
});
