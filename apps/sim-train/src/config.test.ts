import { describe, expect, it } from 'vitest';
import { parseSimTrainArgs, type SimTrainConfig } from './config.js';
import { UsageError } from './usage-error.js';

function config(argv: string[], env: Record<string, string> = {}): SimTrainConfig {
  const parsed = parseSimTrainArgs(argv, env);
  if (parsed.help) throw new Error('unexpected --help');
  return parsed.config;
}

function usageError(argv: string[]): string {
  try {
    parseSimTrainArgs(argv, {});
  } catch (error) {
    if (error instanceof UsageError) return error.message;
    throw error;
  }
  throw new Error(`expected a UsageError for ${argv.join(' ')}`);
}

describe('sim-train flags', () => {
  it('takes the flags hyperevolve appends, with defaults for the rest', () => {
    expect(config(['--hyp', 't/hyp.yaml', '--device', '3', '--project', 'runs/c', '--name', 't7-a1', '--exist-ok', '--noval', '--nosave'])).toEqual({
      hyp: 't/hyp.yaml',
      device: '3',
      project: 'runs/c',
      name: 't7-a1',
      existOk: true,
      noval: true,
      epochs: 3,
      durationMs: 0,
      seed: 0,
      noise: 0.01,
      fail: undefined,
      failRate: 0,
      rankCorrelation: 0.8,
      firstRung: 1,
      progressFile: undefined,
      plots: true,
      plantLink: undefined,
    });
  });

  it('takes --noplots (YOLOv5\'s) and --plant-link FILE', () => {
    expect(config(['--hyp', 'h', '--noplots', '--plant-link', '/tmp/x.pt'])).toMatchObject({ plots: false, plantLink: '/tmp/x.pt' });
  });

  it("reads the learning curve's flags; the first rung defaults to the scheduler's for --epochs", () => {
    expect(config(['--hyp', 'h', '--rank-correlation', '0.6', '--first-rung', '2', '--epochs', '10'])).toMatchObject({ rankCorrelation: 0.6, firstRung: 2 });
    expect(config(['--hyp', 'h', '--epochs', '300'])).toMatchObject({ firstRung: 1 });
    expect(config(['--hyp', 'h', '--epochs', '1'])).toMatchObject({ firstRung: 1 });
    expect(usageError(['--hyp', 'h', '--rank-correlation', '0'])).toMatch(/--rank-correlation must be a rank correlation above 0 and at most 1/);
    expect(usageError(['--hyp', 'h', '--first-rung', '0'])).toMatch(/--first-rung must be a whole number of epochs ≥ 1, got "0"/);
  });

  it('writes the progress file HYPEREVOLVE_PROGRESS_FILE names, none when it is unset or empty', () => {
    expect(config(['--hyp', 'h'], { HYPEREVOLVE_PROGRESS_FILE: '/t/progress.jsonl' })).toMatchObject({ progressFile: '/t/progress.jsonl' });
    expect(config(['--hyp', 'h'], { HYPEREVOLVE_PROGRESS_FILE: '' })).toMatchObject({ progressFile: undefined });
  });

  it("tolerates the train.py flags of a user's command, --cache with or without a value", () => {
    const argv = ['--epochs', '10', '--data', 'coco128.yaml', '--weights', 'yolov5s.pt', '--cache', '--img', '640', '--batch-size', '16', '--workers', '8', '--hyp', 'h.yaml'];
    expect(config(argv)).toMatchObject({ epochs: 10, hyp: 'h.yaml' });
    expect(config(['--hyp', 'h.yaml', '--cache', 'disk', '--batch', '64', '--rect'])).toMatchObject({ hyp: 'h.yaml' });
    expect(config(['--hyp', 'h.yaml', '--cache'])).toMatchObject({ hyp: 'h.yaml' });
    expect(config(['--seed', '-3', '--hyp', 'h.yaml'])).toMatchObject({ seed: -3, hyp: 'h.yaml' });
  });

  it('reads the simulation flags', () => {
    expect(config(['--hyp', 'h', '--duration-ms', '250', '--seed', '42', '--noise', '0', '--fail', 'signal:kill', '--fail-rate', '0.25'])).toMatchObject({
      durationMs: 250,
      seed: 42,
      noise: 0,
      fail: { kind: 'signal', signal: 'SIGKILL' },
      failRate: 0.25,
    });
  });

  it('fails always with --fail alone, and randomly with --fail-rate alone', () => {
    expect(config(['--hyp', 'h', '--fail', 'exit:3'])).toMatchObject({ fail: { kind: 'exit', code: 3 }, failRate: 1 });
    expect(config(['--hyp', 'h', '--fail-rate', '0.5'])).toMatchObject({ fail: { kind: 'random' }, failRate: 0.5 });
  });

  it('answers --help without other checks', () => {
    expect(parseSimTrainArgs(['--help'])).toEqual({ help: true });
    expect(parseSimTrainArgs(['-h', '--epochs', 'x'])).toEqual({ help: true });
  });

  it('names the flag and what it expects on misuse', () => {
    expect(usageError([])).toMatch(/--hyp FILE is required/);
    expect(usageError(['--hyp', 'h', '--bogus'])).toMatch(/Unknown option '--bogus'/);
    expect(usageError(['--hyp', 'h', 'extra'])).toMatch(/positional argument/);
    expect(usageError(['--hyp', 'h', '--epochs', '0'])).toMatch(/--epochs must be a whole number from 1 to 10000, got "0"/);
    expect(usageError(['--hyp', 'h', '--epochs', '2.5'])).toMatch(/--epochs must be a whole number/);
    expect(usageError(['--hyp', 'h', '--duration-ms', '-1'])).toMatch(/--duration-ms must be a number of milliseconds ≥ 0/);
    expect(usageError(['--hyp', 'h', '--noise', 'lots'])).toMatch(/--noise must be a standard deviation from 0 to 1, got "lots"/);
    expect(usageError(['--hyp', 'h', '--fail-rate', '1.5'])).toMatch(/--fail-rate must be a probability from 0 to 1/);
    expect(usageError(['--hyp', 'h', '--fail', 'explode'])).toMatch(/--fail: unknown mode "explode"; expected one of exit:<code>/);
    expect(usageError(['--hyp', 'h', '--fail', 'exit:300'])).toMatch(/--fail: exit code 300 is above 255/);
    expect(usageError(['--hyp', 'h', '--fail', 'signal:SIGNOPE'])).toMatch(/--fail: unknown signal SIGNOPE/);
    expect(usageError(['--hyp', 'h', '--device', 'gpu0'])).toMatch(/--device must be cpu, mps or GPU indices/);
    expect(usageError(['--hyp', 'h', '--name', 'a/b'])).toMatch(/--name must be one path segment/);
  });
});
