import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { campaignKeys } from '@hyperevolve/contract';
import { parseEvolveCsv, trainerProfile } from '@hyperevolve/ga-core';
import { readCampaign, type TrialData } from './support/campaign-data.js';
import type { Cluster } from './support/cluster.js';
import { useClusters } from './support/cluster-fixture.js';
import {
  offlineTrainerEnv,
  requireTrainerStack,
  runHelper,
  runTrainerTool,
  TRAINER_PYTHON,
  TRAINER_VENV,
  trainerStackSkipReason,
  failureText,
  makeTinyDataset,
} from './support/trainer-stack.js';
import { waitFor } from './support/wait-for.js';

/**
 * A campaign of 4 trials on 2 CPU workers for each real trainer, through real serve, workers and
 * Redis, with the workers --offline (the network guard fails a trial that reaches out). Each
 * trial is 1 epoch on a tiny synthetic set with one torch thread: the cost is the trainers'
 * fixed start and end (docs/trainers.md), so a busy 2-core machine gets generous limits.
 */
const SKIP = trainerStackSkipReason();
const TEST_TIMEOUT_MS = 1_200_000;
const CAMPAIGN_TIMEOUT_MS = 900_000;

const { redis, cluster } = useClusters(offlineTrainerEnv());

interface TrialFacts {
  fitness: number;
  row: Record<string, number>;
  hyps: Record<string, unknown>;
  args: Record<string, unknown>;
}

let scratch = '';
let dataYaml = '';


/** Runs a campaign of 4 trials on 2 offline CPU workers that allow `allow`; returns its trials and export directory. */
async function runCampaign(c: Cluster, name: string, allow: string, adapter: string, command: readonly string[]): Promise<{ trials: TrialData[]; rows: number[]; out: string }> {
  c.serve();
  for (let i = 0; i < 2; i++) c.worker(['--device', 'cpu', '--offline', '--allow-command', allow]);
  const enqueued = await c.cli(['enqueue', '--out', c.outDir, '--name', name, '--adapter', adapter, '--generations', '4', '--seed', '7', '--', ...command]);
  expect(enqueued.code, enqueued.stderr).toBe(0);
  await waitFor(async () => ['done', 'failed'].includes((await redis.hget(`${c.prefix}:c:{${name}}:state`, 'status')) ?? ''), {
    timeoutMs: CAMPAIGN_TIMEOUT_MS,
    intervalMs: 1000,
    what: `campaign ${name} to finish`,
  });
  const data = await readCampaign(redis, c.prefix, name);
  const failed = data.trials.filter((t) => t.status !== 'succeeded').map((t) => `${t.index}: ${t.status} ${t.error ?? ''}`);
  expect(failed, failed.join('\n')).toEqual([]);
  expect(data.rows).toHaveLength(4);
  return { trials: data.trials, rows: data.rows, out: join(c.outDir, name) };
}

/** Waits for an export file to hold what the predicate wants (the exporter runs on an interval). */
async function exported(path: string, ready: (text: string) => boolean): Promise<string> {
  return waitFor(
    async () => {
      const text = await readFile(path, 'utf8').catch(() => '');
      return ready(text) ? text : undefined;
    },
    { timeoutMs: 60_000, what: `${path} to be exported` },
  );
}

/** Every trial's fitness is the trainer's own fitness of its run's last results.csv row, and it trained with the hyps we bred. */
async function expectTrialsTrainedAsBred(trials: readonly TrialData[]): Promise<void> {
  for (const trial of trials) {
    const dir = trial.raw.trialDir ?? '';
    const facts = await runHelper<TrialFacts>('trial-facts.py', [dir]);
    expect(trial.fitness, `trial ${trial.index} (${dir})`).toBeCloseTo(facts.fitness, 12);
    // Ultralytics files some evolved settings (close_mosaic) among its train settings, not its hyps.
    const saved = { ...facts.args, ...facts.hyps };
    for (const [name, value] of Object.entries(trial.hyp)) {
      expect(Number(saved[name]), `trial ${trial.index} hyp ${name}`).toBeCloseTo(value, 9);
    }
  }
}

describe.skipIf(SKIP !== null)(`real-trainer campaigns: 4 trials on 2 CPU workers${SKIP === null ? '' : ` (skipped: ${SKIP})`}`, { timeout: TEST_TIMEOUT_MS }, () => {
  beforeAll(async () => {
    requireTrainerStack();
    scratch = await mkdtemp(join(tmpdir(), 'hyperevolve-trainer-campaign-'));
    dataYaml = await makeTinyDataset(join(scratch, 'data'));
  }, TEST_TIMEOUT_MS);
  afterAll(async () => {
    if (scratch) await rm(scratch, { recursive: true, force: true });
  });

  it('Ultralytics `yolo detect train` (YOLOv8n from yaml): 4 rows, the trainer\'s own fitness, best_hyperparameters.yaml trains, tune_results.ndjson seeds a campaign', async () => {
    const yolo = join(TRAINER_VENV, 'bin/yolo');
    const settings = [`data=${dataYaml}`, 'model=yolov8n.yaml', 'epochs=1', 'imgsz=64', 'batch=8', 'workers=0'];
    const c = await cluster('ultra-campaign');
    const { trials, rows, out } = await runCampaign(c, 'u', yolo, 'ultralytics', [yolo, 'detect', 'train', ...settings]);
    await expectTrialsTrainedAsBred(trials);
    for (const trial of trials) {
      const facts = await runHelper<TrialFacts>('trial-facts.py', [trial.raw.trialDir ?? '']);
      // The profile names an optimizer (auto would ignore lr0 and momentum) and asks for a fast trial.
      expect(facts.args).toMatchObject({ optimizer: 'AdamW', val: false, save: false, plots: false, exist_ok: true });
    }

    const profile = trainerProfile('ultralytics');
    const csv = await exported(join(out, 'evolve.csv'), (text) => text.trimEnd().split('\n').length === 5);
    expect(parseEvolveCsv(csv, profile.metricNames).rows).toHaveLength(4);

    const ndjson = await exported(join(out, 'tune_results.ndjson'), (text) => text.trimEnd().split('\n').length === 4);
    const lines = ndjson.trimEnd().split('\n').map((line) => JSON.parse(line) as { iteration: number; fitness: number; hyperparameters: Record<string, number> });
    lines.forEach((line, i) => {
      const trial = trials.find((t) => t.index === rows[i]);
      expect(line.iteration).toBe(i + 1);
      // The Tuner keeps 5 decimals of a fitness.
      expect(line.fitness).toBeCloseTo(trial?.fitness ?? Number.NaN, 5);
    });

    const best = await exported(join(out, 'best_hyperparameters.yaml'), (text) => text.includes('lr0:'));
    const bestPath = join(scratch, 'best_hyperparameters.yaml');
    await writeFile(bestPath, best);
    const trained = await runTrainerTool('yolo', ['detect', 'train', `cfg=${bestPath}`, ...settings, 'device=cpu', `project=${join(scratch, 'best')}`, 'name=u', 'exist_ok=True', 'val=False', 'plots=False'], offlineTrainerEnv(), scratch);
    expect(trained.code, failureText(trained)).toBe(0);
    const bestFacts = await runHelper<TrialFacts>('trial-facts.py', [join(scratch, 'best', 'u')]);
    const bestIndex = Number((await redis.hget(`${c.prefix}:c:{u}:state`, 'bestTrial')) ?? -1);
    const bestTrial = trials.find((t) => t.index === bestIndex);
    expect(bestTrial).toBeDefined();
    const bestSaved = { ...bestFacts.args, ...bestFacts.hyps };
    for (const [name, value] of Object.entries(bestTrial?.hyp ?? {})) expect(Number(bestSaved[name]), name).toBeCloseTo(value, 9);

    // Resuming from the Tuner-shaped table: a campaign seeded with its 4 rows (no workers needed to read them back).
    const resumed = await cluster('ultra-resume');
    const seeded = await resumed.cli(['enqueue', '--out', resumed.outDir, '--name', 'r', '--adapter', 'ultralytics', '--generations', '6', '--seed-from', join(out, 'tune_results.ndjson'), '--', yolo, 'detect', 'train', ...settings]);
    expect(seeded.code, seeded.stderr).toBe(0);
    const again = await readCampaign(redis, resumed.prefix, 'r');
    expect(again.rows).toHaveLength(4);
  });

  it('pip YOLOv5 7.0.14 `python -m yolov5.train` (YOLOv5n from yaml): 4 rows, the trainer\'s own fitness, plot_evolve reads evolve.csv, --hyp hyp_evolve.yaml trains', async () => {
    const settings = ['--data', dataYaml, '--cfg', 'yolov5n.yaml', '--weights', '', '--epochs', '1', '--imgsz', '64', '--batch-size', '8', '--workers', '0'];
    const c = await cluster('yolov5-campaign');
    const { trials, rows, out } = await runCampaign(c, 'v5', `${TRAINER_PYTHON} -m yolov5.train`, 'yolov5', [TRAINER_PYTHON, '-m', 'yolov5.train', ...settings]);
    await expectTrialsTrainedAsBred(trials);
    // --keep-artifacts best:3, the default: YOLOv5 saves last.pt and best.pt at the last epoch even
    // with --nosave; the workers delete them but in the 3 fittest trials' runs, and no run plots.
    const top = new Set((await redis.zrevrange(campaignKeys(c.prefix, 'v5').population, 0, 2)).map(Number));
    await waitFor(async () => {
      const kept = await Promise.all(trials.map(async (t) => (await stat(join(t.raw.trialDir ?? '', 'weights', 'last.pt')).catch(() => null)) !== null));
      return trials.every((t, i) => kept[i] === top.has(t.index)) ? true : undefined;
    }, { timeoutMs: 60_000, what: 'only the 3 fittest YOLOv5 runs to keep weights/last.pt' });
    for (const t of trials) expect((await readdir(t.raw.trialDir ?? '', { recursive: true })).filter((path) => /\.(png|jpg)$/.test(path)), `trial ${t.index}`).toEqual([]);

    const csv = await exported(join(out, 'evolve.csv'), (text) => text.trimEnd().split('\n').length === 5);
    expect(parseEvolveCsv(csv, trainerProfile('yolov5').metricNames).rows).toHaveLength(4);
    const plotted = await runHelper<{ bestRow: number; pngBytes: number }>('plot-evolve-check.py', [join(out, 'evolve.csv')]);
    expect(plotted.pngBytes).toBeGreaterThan(0);
    const byIndex = new Map(trials.map((t) => [t.index, t]));
    const best = Math.max(...trials.map((t) => t.fitness));
    expect(byIndex.get(rows[plotted.bestRow] ?? -1)?.fitness).toBe(best);

    const hypEvolve = await exported(join(out, 'hyp_evolve.yaml'), (text) => text.includes('# Last generation: 3'));
    expect(hypEvolve).toContain('lr0:');
    const trained = await runTrainerTool('python', ['-m', 'yolov5.train', ...settings, '--hyp', join(out, 'hyp_evolve.yaml'), '--device', 'cpu', '--project', join(scratch, 'best-v5'), '--name', 'v5', '--exist-ok', '--noval', '--nosave', '--noplots'], offlineTrainerEnv(), scratch);
    expect(trained.code, failureText(trained)).toBe(0);
  });
});
