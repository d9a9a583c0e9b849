import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ULTRALYTICS_DEFAULT_HYP,
  ULTRALYTICS_FITNESS_WEIGHTS,
  ULTRALYTICS_METRIC_COLUMNS,
  ULTRALYTICS_TUNER_SPACE,
  ULTRALYTICS_VERSION,
} from '../packages/ga-core/src/trainers/ultralytics-defaults.js';
import { ROOT } from './support/processes.js';
import { offlineTrainerEnv, requireTrainerStack, runHelper, runTrainerTool, TRAINER_HELPERS, trainerStackSkipReason, TRAINER_TEST_TIMEOUT_MS } from './support/trainer-stack.js';

const SKIP = trainerStackSkipReason();
const RUNS = join(ROOT, 'fixtures/trainer-runs');

interface TrialFacts {
  trainer: string;
  version: string;
  epoch: number;
  row: Record<string, number>;
  fitness: number;
  hyps: Record<string, unknown>;
  args: Record<string, unknown>;
}

interface UltralyticsFacts {
  version: string;
  defaultHyp: Record<string, number>;
  tunerSpace: [string, number, number, number][];
  fitnessWeights: Record<string, Record<string, number>>;
  metricColumns: Record<string, string[]>;
}

/** A copy of a fixture run whose results.csv gets `rows` (column → value) under its own header. */
async function runWithRows(fixture: string, rows: Record<string, number>[]): Promise<string> {
  const dir = await mkdtemp(join(scratch, `${fixture}-`));
  await cp(join(RUNS, fixture), dir, { recursive: true });
  const header = (await readFile(join(dir, 'results.csv'), 'utf8')).split('\n')[0] ?? '';
  const columns = header.split(',').map((c) => c.trim());
  const lines = rows.map((row) => columns.map((c) => String(row[c] ?? 0)).join(','));
  await writeFile(join(dir, 'results.csv'), [header, ...lines].join('\n') + '\n');
  return dir;
}

let scratch = '';
beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'hyperevolve-trainer-helpers-'));
});
afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

describe.skipIf(SKIP !== null)(`trainer helpers against the installed trainers${SKIP === null ? '' : ` (skipped: ${SKIP})`}`, { timeout: TRAINER_TEST_TIMEOUT_MS }, () => {
  beforeAll(requireTrainerStack);

  it("ga-core's Ultralytics facts equal what the installed ultralytics says", async () => {
    const facts = await runHelper<UltralyticsFacts>('ultralytics-facts.py', []);
    expect(facts.version).toBe(ULTRALYTICS_VERSION);
    expect(Object.entries(facts.defaultHyp)).toEqual(Object.entries(ULTRALYTICS_DEFAULT_HYP));
    expect(facts.tunerSpace).toEqual(Object.entries(ULTRALYTICS_TUNER_SPACE).map(([name, g]) => [name, g.lower, g.upper, g.gain]));
    for (const task of ['detect', 'segment', 'pose'] as const) {
      expect(facts.metricColumns[task]).toEqual(ULTRALYTICS_METRIC_COLUMNS[task]);
      expect(ULTRALYTICS_METRIC_COLUMNS[task].map((c) => facts.fitnessWeights[task]?.[c])).toEqual(ULTRALYTICS_FITNESS_WEIGHTS[task]);
    }
  });

  it("trial-facts gives an Ultralytics run's fitness by DetMetrics' own code, from the first row of the last epoch, and its saved hyps", async () => {
    const metrics = { 'metrics/precision(B)': 0.5, 'metrics/recall(B)': 0.25, 'metrics/mAP50(B)': 0.125, 'metrics/mAP50-95(B)': 0.0625 };
    const dir = await runWithRows('ultralytics-detect', [
      { epoch: 1, 'metrics/mAP50-95(B)': 0.9 },
      { epoch: 2, ...metrics },
      { epoch: 2, 'metrics/mAP50-95(B)': 0.7 },
    ]);
    const facts = await runHelper<TrialFacts>('trial-facts.py', [dir]);
    expect(facts).toMatchObject({ trainer: 'ultralytics', version: ULTRALYTICS_VERSION, epoch: 2 });
    expect(facts.row).toMatchObject(metrics);
    expect(facts.fitness).toBe(0.0625);
    expect(facts.hyps).toMatchObject({ lr0: 0.0123, momentum: 0.9, box: 7.5 });
    expect(facts.args).toMatchObject({ optimizer: 'SGD', task: 'detect' });
    expect(facts.hyps).not.toHaveProperty('optimizer');
  });

  it("trial-facts gives a YOLOv5 run's fitness by utils.metrics.fitness and the hyps of its hyp.yaml", async () => {
    const dir = await runWithRows('yolov5-pip', [
      { epoch: 0, 'metrics/precision': 0.5, 'metrics/recall': 0.25, 'metrics/mAP_0.5': 0.125, 'metrics/mAP_0.5:0.95': 0.0625 },
    ]);
    const facts = await runHelper<TrialFacts>('trial-facts.py', [dir]);
    expect(facts).toMatchObject({ trainer: 'yolov5', version: '7.0.14', epoch: 0 });
    expect(facts.fitness).toBeCloseTo(0.1 * 0.125 + 0.9 * 0.0625, 12);
    expect(facts.hyps).toMatchObject({ lr0: 0.0123, momentum: 0.9, box: 0.05 });
    expect(facts.args).toMatchObject({ noval: true, nosave: true, epochs: 1 });
    expect(facts.args).not.toHaveProperty('hyp');
  });

  it('trial-facts refuses a directory that is no run, naming what it looked for', async () => {
    const done = await runTrainerTool('python', [join(TRAINER_HELPERS, 'trial-facts.py'), scratch], offlineTrainerEnv());
    expect(done.code).toBe(2);
    expect(done.stderr).toContain('neither an Ultralytics run (args.yaml) nor a YOLOv5 run (hyp.yaml + opt.yaml)');
  });

  it("YOLOv5's own plot_evolve reads YOLOv5's evolve.csv and picks the row of highest [0, 0, 0.1, 0.9] fitness", async () => {
    const text = await readFile(join(ROOT, 'fixtures/yolov5/evolve.csv'), 'utf8');
    const [header = '', ...lines] = text.trim().split('\n');
    const rows = lines.map((line) => line.split(',').map(Number));
    const scores = rows.map((r) => 0.1 * (r[2] ?? NaN) + 0.9 * (r[3] ?? NaN));
    const read = await runHelper<{ bestRow: number; hyps: Record<string, string>; pngBytes: number }>('plot-evolve-check.py', [
      join(ROOT, 'fixtures/yolov5/evolve.csv'),
    ]);
    expect(read.bestRow).toBe(scores.indexOf(Math.max(...scores)));
    expect(Object.keys(read.hyps)).toEqual(header.split(',').slice(7).map((name) => name.trim()));
    expect(read.pngBytes).toBeGreaterThan(10_000);
  });

  it("YOLOv5's own plot_evolve reads a generic campaign's evolve.csv, whose fitness column comes after the hyps", async () => {
    const text = await readFile(join(ROOT, 'fixtures/yolov5/evolve.csv'), 'utf8');
    const [header = '', ...lines] = text.trim().split('\n');
    const withFitness = [`${header},${'fitness'.padStart(20)}`, ...lines.map((line, i) => `${line},${String(i / 10).padStart(20)}`)].join('\n') + '\n';
    const file = join(scratch, 'generic-evolve.csv');
    await writeFile(file, withFitness);
    const rows = lines.map((line) => line.split(',').map(Number));
    const scores = rows.map((r) => 0.1 * (r[2] ?? NaN) + 0.9 * (r[3] ?? NaN));
    const read = await runHelper<{ bestRow: number; hyps: Record<string, string> }>('plot-evolve-check.py', [file]);
    expect(read.bestRow).toBe(scores.indexOf(Math.max(...scores)));
    // Every hyp by its name, and the fitness as one more panel.
    expect(Object.keys(read.hyps)).toEqual([...header.split(',').slice(7).map((name) => name.trim()), 'fitness']);
  });

  it('plot-evolve-check fails, naming the error, on a file plot_evolve cannot read', async () => {
    const bad = join(scratch, 'not-evolve.csv');
    await writeFile(bad, 'a,b\nx,y\n');
    const done = await runTrainerTool('python', [join(TRAINER_HELPERS, 'plot-evolve-check.py'), bad], offlineTrainerEnv());
    expect(done.code).toBe(1);
    expect(done.stderr).toMatch(/plot_evolve\(.*not-evolve\.csv\) raised \w+/);
  });
});
