import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PRUNE_MODES, trainerProfile } from '@hyperevolve/ga-core';
import { ConfigError } from '@hyperevolve/runtime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig, type EnqueueConfig } from '../config.js';
import { buildSettings, readText } from './build-settings.js';
import { importPopulation } from './import-population.js';

/**
 * Bad hyp, space and evolve.csv files given to `enqueue`: each is a ConfigError (exit 2) naming
 * the flag, the file, the place in it and the fix, found before anything touches Redis (what
 * enqueueCommand does first, here without a process or a Redis).
 */

const EVOLVE_CSV = await readFile('fixtures/yolov5/evolve.csv', 'utf8');
const [CSV_HEADER = '', CSV_ROW = '', ...CSV_REST] = EVOLVE_CSV.split('\n');
/** A row as releases up to this one exported a trial that reported only {"fitness": x}: nan metrics. */
const NAN_METRICS_ROW = CSV_ROW.split(',').map((cell, i) => (i < 7 ? 'nan'.padStart(20) : cell)).join(',');

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'hyperevolve-enqueue-inputs-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** enqueue's file inputs, read as enqueueCommand reads them before it connects to Redis. */
async function readInputs(flags: string[], files: Record<string, string>): Promise<void> {
  for (const [name, text] of Object.entries(files)) await writeFile(join(dir, name), text);
  const config = loadConfig(['enqueue', '--generations', '5', ...flags.map((f) => (f.endsWith('.yaml') || f.endsWith('.csv') ? join(dir, f) : f)), '--', 'python', 'train.py']) as EnqueueConfig;
  const { settings } = await buildSettings(config);
  if (config.seedFrom === null) return;
  const scoring = { profile: trainerProfile(settings.adapter), weights: settings.fitnessWeights };
  importPopulation(await readText(config.seedFrom, '--seed-from'), config.seedFrom, settings.baseHyp, scoring);
}

async function refusal(flags: string[], files: Record<string, string> = {}): Promise<string> {
  try {
    await readInputs(flags, files);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).exitCode).toBe(2);
    return (error as Error).message;
  }
  throw new Error(`expected a ConfigError for ${flags.join(' ')}`);
}

const CASES: [name: string, flags: string[], files: Record<string, string>, message: RegExp][] = [
  // hyp YAML
  ['hyp: YAML syntax error', ['--hyp', 'hyp.yaml'], { 'hyp.yaml': 'lr0: 0.01\n  lrf: [0.1\n' }, /^--hyp: .*hyp\.yaml: YAML syntax error on line 2/],
  ['hyp: non-numeric value', ['--hyp', 'hyp.yaml'], { 'hyp.yaml': 'lr0: fast\nlrf: 0.01\n' }, /^--hyp: .*hyp\.yaml: hyp "lr0" must be a finite number, got the string "fast"/],
  ['hyp: infinite value', ['--hyp', 'hyp.yaml'], { 'hyp.yaml': 'lr0: .inf\n' }, /hyp "lr0" must be a finite number, got Infinity/],
  ['hyp: bad key', ['--hyp', 'hyp.yaml'], { 'hyp.yaml': 'lr 0: 0.01\n' }, /hyp name "lr 0" is not allowed; use letters, digits/],
  ['hyp: a list, not a mapping', ['--hyp', 'hyp.yaml'], { 'hyp.yaml': '- 0.01\n' }, /expected a mapping of hyp name to number \(like "lr0: 0\.01"\), got a list/],
  ['hyp: named like the fitness column a generic evolve.csv ends with', ['--adapter', 'generic', '--hyp', 'hyp.yaml'], { 'hyp.yaml': 'lr0: 0.01\nfitness: 0.5\n' }, /^--hyp: evolve\.csv header: a hyp is named "fitness", the name of the fitness column this trainer's evolve\.csv ends with; rename that hyp/],
  ['hyp: missing file', ['--hyp', 'nope.yaml'], {}, /^--hyp: cannot read .*nope\.yaml \(ENOENT\); check the path/],
  // search space YAML
  ['space: YAML syntax error', ['--space', 'space.yaml'], { 'space.yaml': 'lr0: [1, 0.00001\n' }, /^--space: Invalid YAML in search space .*space\.yaml at line 2.*Each entry should look like "lr0: \[1, 1\.0e-5, 0\.1\]"/s],
  ['space: entry not a list', ['--space', 'space.yaml'], { 'space.yaml': 'lr0: 0.5\n' }, /^--space: Invalid search space in .*: hyp "lr0": must be a list \[gain, lower, upper\]/],
  ['space: two numbers', ['--space', 'space.yaml'], { 'space.yaml': 'lr0: [1, 0.00001]\n' }, /hyp "lr0": must be exactly 3 numbers \[gain, lower, upper\]/],
  ['space: lower above upper', ['--space', 'space.yaml'], { 'space.yaml': 'lr0: [1, 0.1, 0.00001]\n' }, /hyp "lr0": lower \(0\.1\) is above upper \(0\.00001\); swap them/],
  ['space: negative gain', ['--space', 'space.yaml'], { 'space.yaml': 'lr0: [-1, 0.00001, 0.1]\nlrf: [1, 0.01, 1.0]\n' }, /hyp "lr0": gain must be ≥ 0 \(0 freezes the hyp\), got -1/],
  ['space: all gains 0', ['--space', 'space.yaml'], { 'space.yaml': 'lr0: [0, 0.00001, 0.1]\nlrf: [0, 0.01, 1.0]\n' }, /every hyp has gain 0: YOLOv5's mutate loop would spin forever; give at least one hyp a gain > 0/],
  ['space: key not in the base hyp', ['--space', 'space.yaml'], { 'space.yaml': 'lr0: [1, 0.00001, 0.1]\nbogus: [1, 0, 1]\n' }, /^--space: Search space hyp bogus not in the base hyp; add it to the base hyp file or remove it from the search space/],
  // evolve.csv import
  ['evolve.csv: ragged row', ['--seed-from', 'evolve.csv'], { 'evolve.csv': `${CSV_HEADER}\n${CSV_ROW.split(',').slice(0, 10).join(',')}\n` }, /^--seed-from: .*evolve\.csv: line 2 has 10 cells but the header has 36 columns; the row is truncated or has stray commas/],
  ['evolve.csv: text cell', ['--seed-from', 'evolve.csv'], { 'evolve.csv': `${CSV_HEADER}\n${CSV_ROW.replace('0.32383', 'high')}\n` }, /^--seed-from: .*: line 2, column "metrics\/precision": "high" is not a number; expected a decimal like 0\.0123 or 1e-05, or nan/],
  ['evolve.csv: missing metric columns', ['--seed-from', 'evolve.csv'], { 'evolve.csv': [CSV_HEADER, CSV_ROW].map((l) => l.split(',').slice(2).join(',')).join('\n') }, /^--seed-from: .*: missing metric column\(s\) "metrics\/precision", "metrics\/recall"; an evolve\.csv needs all of/],
  ['evolve.csv: hyp columns of another hyp file', ['--seed-from', 'evolve.csv'], { 'evolve.csv': [CSV_HEADER.replace('                 lr0,', '                lr_0,'), CSV_ROW, ...CSV_REST].join('\n') }, /^--seed-from: .* does not match the campaign's hyps: missing hyp columns lr0; columns not in the base hyps lr_0\. Pass the --hyp \(and --space\) the original run used/],
  ['evolve.csv: no row has a fitness (a fitness-only campaign as older releases exported it)', ['--adapter', 'generic', '--seed-from', 'evolve.csv'], { 'evolve.csv': `${CSV_HEADER}\n${NAN_METRICS_ROW}\n${NAN_METRICS_ROW.replace('0.01', '0.011')}\n` }, /^--seed-from: none of the 2 rows of .*evolve\.csv has a fitness: its weighted metrics \(metrics\/mAP_0\.5, metrics\/mAP_0\.5:0\.95\) are nan in every row and it has no "fitness" column.*write it again with scheduler export --name <campaign> .*, or pass --fitness-weights/],
  ['evolve.csv: header only', ['--seed-from', 'evolve.csv'], { 'evolve.csv': `${CSV_HEADER}\n` }, /^--seed-from: .*evolve\.csv has a header but no rows, so there is no population to start from/],
];

describe('enqueue file inputs: exit 2 naming the flag, the file, the place and the fix', () => {
  it.each(CASES)('%s', async (_name, flags, files, message) => {
    expect(await refusal(flags, files)).toMatch(message);
  });

  it('takes a row\'s fitness from the fitness column where it has one (a trial that reported its own), else from its metrics', async () => {
    const withColumn = (line: string, cell: string): string => `${line},${cell.padStart(20)}`;
    const text = [withColumn(CSV_HEADER, 'fitness'), withColumn(NAN_METRICS_ROW, '0.75'), withColumn(CSV_ROW, 'nan'), withColumn(NAN_METRICS_ROW.replace('0.01', '0.011'), 'nan'), ''].join('\n');
    const config = loadConfig(['enqueue', '--generations', '5', '--adapter', 'generic', '--', 'python', 'train.py']) as EnqueueConfig;
    const { settings } = await buildSettings(config);
    const trials = importPopulation(text, 'evolve.csv', settings.baseHyp, { profile: trainerProfile('generic'), weights: settings.fitnessWeights });
    const fromMetrics = importPopulation(EVOLVE_CSV, 'evolve.csv', settings.baseHyp, { profile: trainerProfile('generic'), weights: settings.fitnessWeights })[0]?.fitness;
    expect(trials.map((trial) => trial.fitness)).toEqual([0.75, fromMetrics, NaN]);
  });

  it('reads the fixture evolve.csv and the default hyp and space without complaint', async () => {
    await expect(readInputs(['--seed-from', 'evolve.csv'], { 'evolve.csv': EVOLVE_CSV })).resolves.toBeUndefined();
  });
});

describe('enqueue --fitness-weights: one weight per fitness metric of the trainer profile', () => {
  const settingsOf = async (flags: string[], command: string[]) => (await buildSettings(loadConfig(['enqueue', '--generations', '5', ...flags, '--', ...command]) as EnqueueConfig)).settings;
  const SEGMENT = ['yolo', 'segment', 'train', 'data=coco8-seg.yaml', 'epochs=3'];

  it('takes as many weights as the profile has fitness metrics (8 for a segment run)', async () => {
    const weights = [0, 0, 0, 0.5, 0, 0, 0, 0.5];
    expect(trainerProfile('ultralytics-segment').fitnessMetrics).toHaveLength(weights.length);
    expect((await settingsOf(['--fitness-weights', weights.join(','), '--full-trials'], SEGMENT)).fitnessWeights).toEqual(weights);
  });

  it('refuses another count, naming the metrics and the default', async () => {
    await expect(settingsOf(['--fitness-weights', '0,0,0.1,0.9'], SEGMENT)).rejects.toThrow(/^--fitness-weights: adapter ultralytics-segment takes 8 weights, one per fitness metric \(metrics\/precision\(B\), .*\); got 4\. Its default: 0,0,0,1,0,0,0,1$/);
    await expect(settingsOf(['--fitness-weights', '1,2,3'], ['python', 'train.py', '--epochs', '3'])).rejects.toThrow(/^--fitness-weights: adapter yolov5 takes 4 weights/);
  });
});

/** The rules as a refusal lists them (a regex alternation), from the registry rather than pinned. */
const RULES = PRUNE_MODES.slice(1).join('\\|');

describe('enqueue --prune: rungs from the trainer\'s epochs, refusals naming the fix', () => {
  const settingsOf = async (flags: string[], command: string[]) => (await buildSettings(loadConfig(['enqueue', '--generations', '5', ...flags, '--', ...command]) as EnqueueConfig)).settings;
  const pruningRefusal = async (flags: string[], command: string[]): Promise<string> => {
    try {
      await settingsOf(flags, command);
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      return (error as Error).message;
    }
    throw new Error(`expected a ConfigError for ${flags.join(' ')}`);
  };

  it("defaults the rungs from the command's --epochs and keeps given ones; none without --prune", async () => {
    expect((await settingsOf(['--prune', 'median', '--full-trials'], ['python', 'train.py', '--epochs', '10'])).pruning).toEqual({ mode: 'median', rungs: [1, 3], eta: 3, minPeers: 5, window: 16 });
    expect((await settingsOf(['--prune', 'asha', '--prune-rungs', '2,5', '--prune-eta', '2', '--adapter', 'ultralytics', '--full-trials'], ['yolo', 'detect', 'train', 'epochs=30'])).pruning).toEqual({ mode: 'asha', rungs: [2, 5], eta: 2, minPeers: 5, window: 16 });
    expect((await settingsOf([], ['python', 'train.py', '--epochs', '10'])).pruning.mode).toBe('none');
    expect((await settingsOf(['--prune', 'fast', '--full-trials'], ['python', 'train.py', '--epochs', '10'])).pruning).toEqual({ mode: 'fast', rungs: [1], eta: 6, minPeers: 5, window: 32 });
    expect((await settingsOf(['--prune', 'asha', '--prune-window', 'all', '--full-trials'], ['python', 'train.py', '--epochs', '10'])).pruning.window).toBeNull();
    expect((await settingsOf(['--prune', 'median', '--prune-window', '40', '--full-trials'], ['python', 'train.py', '--epochs', '10'])).pruning.window).toBe(40);
    // --prune-param sets the same params the shorthands do.
    expect((await settingsOf(['--prune', 'asha', '--prune-param', 'eta=4', '--prune-param', 'window=all', '--full-trials'], ['python', 'train.py', '--epochs', '30'])).pruning).toEqual({ mode: 'asha', rungs: [2, 8], eta: 4, minPeers: 5, window: null });
  });

  it.each([
    ['YOLOv5 fast trials (--noval has no fitness at a rung)', ['--prune', 'median'], ['python', 'train.py', '--epochs', '10'], /--noval, which validates only the last epoch: add --full-trials/],
    ['a YOLOv5 command with its own --noval', ['--prune', 'median', '--full-trials'], ['python', 'train.py', '--epochs', '10', '--noval'], /the command has --noval, which validates only the last epoch: remove --noval from the command/],
    ['a command that does not say its epochs, without rungs', ['--prune', 'median', '--adapter', 'generic'], ['python', 'fit.py'], /^--prune: prune median needs rungs: give --prune-rungs .* or put the epoch count in the training command/],
    ['a rung at the last epoch', ['--prune', 'median', '--full-trials', '--prune-rungs', '1,10'], ['python', 'train.py', '--epochs', '10'], /rung 10 is not before the last epoch \(the trainer runs 10\)/],
    ['a window smaller than the peers a rung waits for', ['--prune', 'asha', '--full-trials', '--prune-window', '3'], ['python', 'train.py', '--epochs', '10'], /^--prune-window: prune asha: window: must be a whole number ≥ 5 \(a rung waits for 5 other runs\) or all, got 3/],
    ['one epoch: nothing to compare before the last', ['--prune', 'asha', '--full-trials'], ['python', 'train.py', '--epochs', '1'], /a trainer that runs 1 epoch has no epoch to compare trials at before its last/],
    ['rungs that are not numbers', ['--prune', 'median', '--full-trials', '--prune-rungs', '1,three'], ['python', 'train.py', '--epochs', '10'], /^--prune-rungs: prune median: rungs: must be epoch counts separated by commas, like 1,3; got "1,three"\. prune median takes rungs \(/],
    ['an eta that is not a number', ['--prune', 'asha', '--full-trials', '--prune-eta', 'x'], ['python', 'train.py', '--epochs', '10'], /^--prune-eta: prune asha: eta: must be a number above 1 .*, got "x"/],
    ['a window that is not a number', ['--prune', 'asha', '--full-trials', '--prune-window', 'lots'], ['python', 'train.py', '--epochs', '10'], /^--prune-window: prune asha: window: must be a whole number ≥ 5 .* or all, got "lots"/],
    ['a bad value given with --prune-param', ['--prune', 'asha', '--full-trials', '--prune-param', 'eta=1'], ['python', 'train.py', '--epochs', '10'], /^--prune-param: prune asha: eta: must be a number above 1 .*, got 1\. prune asha takes rungs \(.*; default from the epoch count .*\), eta \(a number > 1.*; default 3\), window \(.*; default 16\)$/],
    ['an unknown param', ['--prune', 'fast', '--full-trials', '--prune-param', 'etaa=4'], ['python', 'train.py', '--epochs', '10'], /^--prune-param: prune fast has no param "etaa"\. prune fast takes rungs \(.*; default 1\), eta \(.*; default 6\), window \(.*; default 32\)$/],
    ['a rung shorthand without --prune', ['--prune-rungs', '1,3'], ['python', 'train.py', '--epochs', '10'], new RegExp(`^--prune-rungs: rungs needs --prune ${RULES}: with --prune none \\(the default\\) no trial is compared at a rung$`)],
    ['a param without --prune', ['--prune-param', 'window=16'], ['python', 'train.py', '--epochs', '10'], new RegExp(`^--prune-param: window needs --prune ${RULES}:`)],
  ])('refuses %s', async (_name, flags, command, message) => {
    expect(await pruningRefusal(flags, command)).toMatch(message);
  });
});
