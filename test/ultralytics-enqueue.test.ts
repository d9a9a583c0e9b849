import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CampaignConfigSchema, campaignKeys } from '@hyperevolve/contract';
import { useClusters } from './support/cluster-fixture.js';
import { ROOT } from './support/processes.js';

const { redis, cluster } = useClusters();
const TUNE = join(ROOT, 'fixtures/trainer-runs/ultralytics-tune');
const YOLO = ['--', 'yolo', 'detect', 'train', 'data=/sets/d2/data.yaml', 'model=yolov8n.yaml', 'epochs=2'];

describe('scheduler enqueue --adapter ultralytics', () => {
  it('refuses a command a trial would fail on (exit 2, naming the fix), and writes nothing', async () => {
    const c = await cluster('ultra-refuse');
    const refused = await c.cli(['enqueue', '--name', 'u', '--generations', '4', '--adapter', 'ultralytics', '--out', c.outDir, ...YOLO, 'device=0', 'lr0=0.02']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/the campaign cannot train with Ultralytics \(adapter ultralytics\):\n {2}- remove device=0 from the command: each trial sets device= itself\n {2}- lr0= is a hyp the campaign sets on every trial/);
    expect(await redis.exists(campaignKeys(c.prefix, 'u').config)).toBe(0);
  });

  it("creates the campaign on Ultralytics' defaults with whole-number close_mosaic, says which optimizer trials get, and resumes a Tuner's results", async () => {
    const c = await cluster('ultra-create');
    const created = await c.cli(['enqueue', '--name', 'u', '--generations', '4', '--adapter', 'ultralytics', '--seed', '3', '--seed-from', join(TUNE, 'tune_results.ndjson'), '--out', c.outDir, ...YOLO]);
    expect(created.code, created.stderr).toBe(0);
    expect(created.stdout).toContain('created campaign u: 4 generations, seed 3, 2 trials imported from');
    expect(created.stdout).toMatch(/^note: each trial trains with optimizer=AdamW \(as Ultralytics' own Tuner does\)/m);
    expect(created.stdout).toContain(`files: ${join(c.outDir, 'u')}/evolve.csv, hyp_evolve.yaml, best_hyperparameters.yaml, tune_results.ndjson`);
    const config = CampaignConfigSchema.parse(JSON.parse((await redis.get(campaignKeys(c.prefix, 'u').config)) ?? 'null'));
    expect(config.space.close_mosaic).toEqual({ gain: 1, lower: 0, upper: 10, integer: true });
    expect(config.fitnessWeights).toEqual([0, 0, 0, 1]);
    expect(Object.keys(config.baseHyp)).toHaveLength(26);
    // Ultralytics' own GA by default: its additive steps move the 9 hyps at 0, so no warning.
    expect(config.strategy).toEqual({ name: 'ultralytics', params: {} });
    expect(created.stdout).not.toMatch(/warning/);

    // Without --out: the campaign's own directory, <enqueue --out>/<name>, where enqueue said its files go.
    const exported = await c.cli(['export', '--name', 'u']);
    expect(exported.code, exported.stderr).toBe(0);
    const dir = join(c.outDir, 'u');
    expect(exported.stdout).toBe(`wrote ${dir}/evolve.csv (2 rows), ${dir}/hyp_evolve.yaml, ${dir}/best_hyperparameters.yaml, ${dir}/tune_results.ndjson and ${dir}/evolve.png\n`);
    expect(created.stdout).toContain(`files: ${dir}/evolve.csv`);
    const elsewhere = await c.cli(['export', '--name', 'u', '--out', join(c.dir, 'elsewhere')]);
    expect(elsewhere.stdout).toMatch(new RegExp(`^wrote ${join(c.dir, 'elsewhere', 'u')}/evolve\\.csv \\(2 rows\\)`));
    const tuned = (await readFile(join(TUNE, 'tune_results.ndjson'), 'utf8')).trim().split('\n');
    const ours = (await readFile(join(dir, 'tune_results.ndjson'), 'utf8')).trim().split('\n');
    // The Tuner's own lines come back but for where they trained (we never saw their runs).
    expect(ours).toEqual(tuned.map((line) => line.replace(/, "save_dirs": \{[^}]*\}/, '')));
    const best = await readFile(join(dir, 'best_hyperparameters.yaml'), 'utf8');
    const theirs = await readFile(join(TUNE, 'best_hyperparameters.yaml'), 'utf8');
    // The Tuner's hyps, then the optimizer every trial trained with (yolo's own optimizer=auto would ignore lr0 and momentum).
    const theirLines = theirs.trimEnd().split('\n').filter((line) => !line.startsWith('#'));
    expect(best.trimEnd().split('\n').filter((line) => !line.startsWith('#'))).toEqual([...theirLines, 'optimizer: AdamW']);
    expect(best).toContain('\n# use: yolo detect train cfg=best_hyperparameters.yaml data=/sets/d2/data.yaml model=yolov8n.yaml epochs=2\n');
    // `scheduler best` prints the file this trainer reads back, not YOLOv5's hyp_evolve.yaml.
    const printed = await c.cli(['best', '--name', 'u']);
    expect(printed.code, printed.stderr).toBe(0);
    expect(printed.stdout).toBe(best);
  });

  it('detects the adapter from the command when --adapter is not given, and refuses one that disagrees with it, naming the right flag', async () => {
    const c = await cluster('ultra-detect');
    const created = await c.cli(['enqueue', '--name', 'seg', '--generations', '2', '--out', c.outDir, '--', 'yolo', 'segment', 'train', 'data=coco8-seg.yaml', 'epochs=2']);
    expect(created.code, created.stderr).toBe(0);
    expect(created.stdout).toMatch(/^note: adapter ultralytics-segment: the command runs Ultralytics' yolo \(task segment\)/m);
    expect(CampaignConfigSchema.parse(JSON.parse((await redis.get(campaignKeys(c.prefix, 'seg').config)) ?? 'null')).adapter).toBe('ultralytics-segment');

    const v5 = await c.cli(['enqueue', '--name', 'v5', '--generations', '2', '--out', c.outDir, '--', 'python', 'train.py', '--epochs', '3']);
    expect(v5.code, v5.stderr).toBe(0);
    expect(CampaignConfigSchema.parse(JSON.parse((await redis.get(campaignKeys(c.prefix, 'v5').config)) ?? 'null')).adapter).toBe('yolov5');

    const wrongWay = await c.cli(['enqueue', '--name', 'w1', '--generations', '2', '--adapter', 'ultralytics', '--out', c.outDir, '--', 'python', 'train.py', '--epochs', '3']);
    expect(wrongWay.code).toBe(2);
    expect(wrongWay.stderr).toMatch(/--adapter ultralytics: the command runs train\.py \(YOLOv5's\), which takes its hyps as --hyp FILE, not key=value words, so every trial would fail; use --adapter yolov5/);
    const otherWay = await c.cli(['enqueue', '--name', 'w2', '--generations', '2', '--adapter', 'yolov5', '--out', c.outDir, ...YOLO]);
    expect(otherWay.code).toBe(2);
    expect(otherWay.stderr).toMatch(/--adapter yolov5: the command runs Ultralytics' yolo \(task detect\), .* use --adapter ultralytics/);
    for (const name of ['w1', 'w2']) expect(await redis.exists(campaignKeys(c.prefix, name).config)).toBe(0);
  });

  it('breeds with --parent when given: single keeps v7.0\'s GA and warns that it cannot move the 9 hyps at 0', async () => {
    const c = await cluster('ultra-parent');
    const created = await c.cli(['enqueue', '--name', 'u', '--generations', '4', '--adapter', 'ultralytics', '--parent', 'single', '--out', c.outDir, ...YOLO]);
    expect(created.code, created.stderr).toBe(0);
    expect(created.stdout).toMatch(/^warning: hyps cls_pw, degrees, shear, perspective, flipud, bgr, mixup, cutmix, copy_paste start at 0 with a gain > 0: multiplicative mutation can never move them/m);
    const config = CampaignConfigSchema.parse(JSON.parse((await redis.get(campaignKeys(c.prefix, 'u').config)) ?? 'null'));
    expect(config.strategy).toEqual({ name: 'single', params: {} });
  });

  it('stores --strategy-param in the campaign (checked by the strategy), and refuses a param the strategy does not take, writing nothing', async () => {
    const c = await cluster('ultra-strategy-param');
    const refused = await c.cli(['enqueue', '--name', 'u', '--generations', '4', '--adapter', 'ultralytics', '--strategy-param', 'noSuchParam=1', '--out', c.outDir, ...YOLO]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/--strategy-param: .*noSuchParam/);
    expect(await redis.exists(campaignKeys(c.prefix, 'u').config)).toBe(0);
    const created = await c.cli(['enqueue', '--name', 'u', '--generations', '4', '--adapter', 'ultralytics', '--strategy', 'weighted', '--strategy-param', 'topN=3', '--out', c.outDir, ...YOLO]);
    expect(created.code, created.stderr).toBe(0);
    const config = CampaignConfigSchema.parse(JSON.parse((await redis.get(campaignKeys(c.prefix, 'u').config)) ?? 'null'));
    expect(config.strategy).toEqual({ name: 'weighted', params: { topN: 3 } });
  });
});
