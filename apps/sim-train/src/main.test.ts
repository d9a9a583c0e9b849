// Runs the real `sim-train` bin as hyperevolve's worker would, into a temporary directory.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { GaInputError, YOLOV5_METRIC_NAMES, parseHypYaml, parseProgressLine, parseResultsCsv, writeHypYaml } from '@hyperevolve/ga-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { simulatedMetrics } from './landscape.js';

const BIN = fileURLToPath(new URL('../bin/sim-train.js', import.meta.url));
const SCRATCH_LOW = readFileSync('fixtures/yolov5/hyp.scratch-low.yaml', 'utf8');

let dir = '';
let hypFile = '';
/** Tests run concurrently, so leftovers of a failed test are killed only at the end. */
const started = new Set<ChildProcess>();

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'sim-train-test-'));
  hypFile = join(dir, 'hyp.yaml');
  writeFileSync(hypFile, SCRATCH_LOW);
});
afterAll(() => {
  for (const child of started) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

interface Ended {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

function start(args: string[], detached = false, env: Record<string, string> = {}): { child: ChildProcess; ended: Promise<Ended>; stdout: () => string } {
  const child = spawn(process.execPath, [BIN, ...args], { cwd: dir, detached, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
  started.add(child);
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const ended = new Promise<Ended>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
  return { child, ended, stdout: () => stdout };
}

const run = (args: string[]): Promise<Ended> => start(args).ended;
/** The flags hyperevolve appends to a trial's command. */
const trial = (name: string, ...more: string[]): string[] => ['--hyp', hypFile, '--device', '0', '--project', 'runs', '--name', name, '--exist-ok', '--noval', '--nosave', ...more];
const results = (name: string): string => readFileSync(join(dir, 'runs', name, 'results.csv'), 'utf8');

async function waitFor(condition: () => boolean, what: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

// Each run pays Node + tsx startup; on a busy CI box that can take seconds.
describe.concurrent('sim-train bin', { timeout: 120_000 }, () => {
  it("trains with a user's train.py flags and writes a YOLOv5 results.csv, one row per epoch", async () => {
    const started = Date.now();
    const ended = await run([...trial('ok', '--seed', '4'), '--epochs', '3', '--duration-ms', '300', '--data', 'coco128.yaml', '--weights', 'yolov5s.pt', '--cache', '--img', '640', '--batch-size', '16', '--workers', '2']);
    expect(ended.stderr).toBe('');
    expect(ended.code).toBe(0);
    expect(Date.now() - started).toBeGreaterThanOrEqual(300);
    expect(ended.stdout).toContain('Starting training for 3 epochs...');
    expect(ended.stdout).toContain('Results saved to runs/ok');

    const text = results('ok');
    const lines = text.trimEnd().split('\n');
    expect(lines).toHaveLength(4);
    expect(lines[0]).toBe(readFileSync('fixtures/yolov5/results.csv', 'utf8').split('\n')[0]);
    expect(lines[1]?.split(',').slice(4, 11).map((c) => c.trim())).toEqual(['0', '0', '0', '0', '0', '0', '0']); // --noval
    const expected = simulatedMetrics(parseHypYaml(SCRATCH_LOW), { seed: 4, runName: 'ok', sigma: 0.01 });
    const metrics = parseResultsCsv(text, YOLOV5_METRIC_NAMES);
    for (const name of YOLOV5_METRIC_NAMES) expect(metrics[name]).toBeCloseTo(expected[name] ?? NaN, 4);
    expect(parseHypYaml(readFileSync(join(dir, 'runs', 'ok', 'hyp.yaml'), 'utf8'))).toEqual(parseHypYaml(SCRATCH_LOW));
  });

  it('appends one progress line per epoch to $HYPEREVOLVE_PROGRESS_FILE, with the metrics of its results.csv row', async () => {
    const progressFile = join(dir, 'progress-curve.jsonl');
    const args = ['--hyp', hypFile, '--project', 'runs', '--name', 'curve', '--exist-ok', '--epochs', '4', '--seed', '2', '--rank-correlation', '0.5'];
    const ended = await start(args, false, { HYPEREVOLVE_PROGRESS_FILE: progressFile }).ended;
    expect(ended.code).toBe(0);
    const lines = readFileSync(progressFile, 'utf8')
      .trimEnd()
      .split('\n')
      .map((text) => {
        const parsed = parseProgressLine(text);
        if (!parsed.ok) throw new Error(parsed.error);
        return parsed.line;
      });
    const rows = results('curve').trimEnd().split('\n').slice(1).map((row) => row.split(',').map((cell) => Number(cell.trim())));
    expect(lines.map((line) => [line.epoch, line.epochs])).toEqual([[0, 4], [1, 4], [2, 4], [3, 4]]);
    lines.forEach((line, i) => expect(line.metrics?.['metrics/mAP_0.5:0.95']).toBeCloseTo(rows[i]?.[7] ?? NaN, 4));
    // The run ends where the landscape says, whatever its curve did on the way.
    const expected = simulatedMetrics(parseHypYaml(SCRATCH_LOW), { seed: 2, runName: 'curve', sigma: 0.01 });
    expect(lines.at(-1)?.metrics?.['metrics/mAP_0.5:0.95']).toBeCloseTo(expected['metrics/mAP_0.5:0.95'] ?? NaN, 4);
  });

  it('appends to a reused directory with --exist-ok, and picks a new one without it', async () => {
    expect((await run([...trial('again'), '--epochs', '2'])).code).toBe(0);
    const first = parseResultsCsv(results('again'), YOLOV5_METRIC_NAMES);
    expect((await run([...trial('again'), '--epochs', '2', '--seed', '9'])).code).toBe(0);
    const text = results('again');
    expect(text.trimEnd().split('\n')).toHaveLength(5); // one header, two runs of two rows
    expect(parseResultsCsv(text, YOLOV5_METRIC_NAMES)).toEqual(first); // the first row with the highest epoch

    mkdirSync(join(dir, 'runs', 'inc'), { recursive: true });
    expect((await run(['--hyp', hypFile, '--project', 'runs', '--name', 'inc', '--epochs', '1'])).code).toBe(0);
    expect(existsSync(join(dir, 'runs', 'inc', 'results.csv'))).toBe(false);
    expect(existsSync(join(dir, 'runs', 'inc2', 'results.csv'))).toBe(true);
  });

  it('exits with the code of --fail exit:N, halfway through', async () => {
    const ended = await run([...trial('exit'), '--epochs', '4', '--fail', 'exit:3']);
    expect(ended.code).toBe(3);
    expect(results('exit').trimEnd().split('\n')).toHaveLength(3); // header and two epochs
  });

  it.each(['SIGKILL', 'SIGTERM', 'SIGSEGV'])('dies by --fail signal:%s', async (signal) => {
    const ended = await run([...trial(`sig-${signal}`), '--fail', `signal:${signal}`]);
    expect(ended.signal).toBe(signal);
    expect(ended.code).toBeNull();
  });

  it('writes a results.csv parseResultsCsv rejects with --fail garbage', async () => {
    expect((await run([...trial('garbage'), '--fail', 'garbage'])).code).toBe(0);
    expect(() => parseResultsCsv(results('garbage'), YOLOV5_METRIC_NAMES)).toThrow(GaInputError);
  });

  it('writes nan metrics with --fail nan, which parseResultsCsv rejects', async () => {
    expect((await run([...trial('nan'), '--fail', 'nan'])).code).toBe(0);
    const text = results('nan');
    expect(text.trimEnd().split('\n').at(-1)?.split(',').slice(4, 11).map((c) => c.trim())).toEqual(Array(7).fill('nan'));
    expect(() => parseResultsCsv(text, YOLOV5_METRIC_NAMES)).toThrow(/metrics\/precision" is nan/);
  });

  it('exits 0 without results.csv with --fail no-results', async () => {
    expect((await run([...trial('none'), '--fail', 'no-results'])).code).toBe(0);
    expect(existsSync(join(dir, 'runs', 'none', 'results.csv'))).toBe(false);
  });

  it('fails by --fail-rate (the draw itself is unit-tested in fail-mode.test.ts)', async () => {
    const outcome = async (rate: string) => (await run([...trial(`rate-${rate}`), '--epochs', '1', '--fail-rate', rate, '--fail', 'exit:4'])).code;
    expect(await Promise.all([outcome('1'), outcome('0')])).toEqual([4, 0]);
  });

  it('hangs with --fail hang until killed', async () => {
    const { child, ended, stdout } = start([...trial('hang'), '--fail', 'hang']);
    await waitFor(() => stdout().includes('hanging'), 'the hang message');
    await new Promise((resolve) => setTimeout(resolve, 300)); // it must not end on its own
    expect(child.exitCode).toBeNull();
    child.kill('SIGTERM');
    expect((await ended).signal).toBe('SIGTERM');
  });

  it('leaves a child that only a process-group kill ends with --fail hang-with-child', async () => {
    const { child, ended } = start([...trial('child'), '--fail', 'hang-with-child'], true);
    const pidFile = join(dir, 'runs', 'child', 'child.pid');
    await waitFor(() => existsSync(pidFile) && readFileSync(pidFile, 'utf8').endsWith('\n'), 'child.pid');
    const grandchild = Number(readFileSync(pidFile, 'utf8'));
    expect(isAlive(grandchild)).toBe(true);
    if (child.pid === undefined) throw new Error('no pid');
    process.kill(-child.pid, 'SIGKILL');
    expect((await ended).signal).toBe('SIGKILL');
    await waitFor(() => !isAlive(grandchild), 'the grandchild to die');
  });

  it('exits 2 naming the flag on misuse, 0 for --help', async () => {
    const bad = await run([...trial('bad'), '--epochs', 'ten']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--epochs must be a whole number from 1 to 10000, got "ten"/);
    const help = await run(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^Usage: sim-train --hyp FILE/);
  });

  it('exits 1 like YOLOv5 for an unreadable or incomplete hyp file', async () => {
    const missing = await run(['--hyp', 'nope.yaml']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/cannot read --hyp nope\.yaml/);
    const partial = join(dir, 'partial.yaml');
    const { mixup: _mixup, ...rest } = parseHypYaml(SCRATCH_LOW);
    writeFileSync(partial, writeHypYaml(rest));
    const incomplete = await run(['--hyp', partial]);
    expect(incomplete.code).toBe(1);
    expect(incomplete.stderr).toMatch(/KeyError: .*partial\.yaml lacks 'mixup'/);
  });
});
