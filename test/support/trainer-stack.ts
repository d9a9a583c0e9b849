import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { ROOT } from './processes.js';

/**
 * The real-trainer stack (.ci/install-trainers.sh links it here): one venv with PyTorch,
 * Ultralytics and YOLOv5, plus `offline-config/` (see docs/trainers.md).
 */
export const TRAINER_VENV = join(ROOT, '.tools/trainers');
export const TRAINER_PYTHON = join(TRAINER_VENV, 'bin/python');
/** Python helpers run with {@link TRAINER_PYTHON}: data set maker, run readers, network guard. */
export const TRAINER_HELPERS = join(ROOT, 'test/support/trainers');

const READY = join(TRAINER_VENV, '.complete');
/** The network guard `worker --offline` puts on a trainer's PYTHONPATH (sitecustomize.py). */
export const NETWORK_GUARD = join(ROOT, 'apps/worker/src/offline/no-network');

/**
 * The time a real-trainer test (or its set-up) may take. Importing torch and a trainer costs
 * seconds on an idle machine but minutes on two cores shared with the other integration tests
 * (a 180 s limit was hit at load 20), so these tests get more than the suite's default.
 */
export const TRAINER_TEST_TIMEOUT_MS = 600_000;

/**
 * Why the real-trainer tests cannot run here, or null when they can. In CI the stack is always
 * installed, so there a missing stack is not a reason to skip: {@link requireTrainerStack} fails.
 */
export function trainerStackSkipReason(): string | null {
  if (existsSync(READY) || process.env.CI === 'true') return null;
  return `no trainer stack at ${TRAINER_VENV}; install it with 'bash .ci/install-trainers.sh' (~3 min, ~6.5 GB)`;
}

/** Throws when the stack is missing: a CI run without it is broken, not skipped. */
export function requireTrainerStack(): void {
  if (!existsSync(READY)) {
    throw new Error(`the trainer stack is missing at ${TRAINER_VENV} (.ci/run installs it with .ci/install-trainers.sh before npm test)`);
  }
}

/**
 * The environment under which both trainers run with no network and ask for nothing
 * (docs/trainers.md, "Offline"). `netLog` adds the guard that blocks and logs any attempt.
 */
export function offlineTrainerEnv(netLog?: string): Record<string, string> {
  const config = join(TRAINER_VENV, 'offline-config');
  const env: Record<string, string> = {
    YOLO_OFFLINE: '1',
    YOLO_AUTOINSTALL: 'false',
    YOLOv5_AUTOINSTALL: 'false',
    YOLO_CONFIG_DIR: config,
    YOLOV5_CONFIG_DIR: config,
    HF_HUB_OFFLINE: '1',
    MPLBACKEND: 'Agg',
    // YOLOv5 7.0.14 re-reads its own checkpoint at the end with torch.load's defaults, which
    // PyTorch >= 2.6 refuses (weights_only); the run would fail after its last epoch.
    TORCH_FORCE_NO_WEIGHTS_ONLY_LOAD: '1',
    // Not for offline: the integration tests share two cores, and one torch thread per
    // trainer leaves the other tests' timing alone.
    OMP_NUM_THREADS: '1',
  };
  if (netLog !== undefined) {
    env.PYTHONPATH = NETWORK_GUARD;
    env.HYPEREVOLVE_NET_LOG = netLog;
  }
  return env;
}

export interface Finished {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a program of the trainer venv (`python`, `yolo`, `yolov5`) to its end. */
export function runTrainerTool(tool: string, args: readonly string[], env: Record<string, string> = {}, cwd = ROOT): Promise<Finished> {
  return new Promise((resolve, reject) => {
    const child = spawn(join(TRAINER_VENV, 'bin', tool), args, { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** Runs one of the {@link TRAINER_HELPERS} scripts and parses the JSON it prints. */
export async function runHelper<T>(script: string, args: readonly string[], env: Record<string, string> = {}): Promise<T> {
  const done = await runTrainerTool('python', [join(TRAINER_HELPERS, script), ...args], { ...offlineTrainerEnv(), ...env });
  if (done.code !== 0) throw new Error(`${script} ${args.join(' ')} exited ${String(done.code)}: ${done.stderr.slice(-2000)}`);
  const last = done.stdout.trim().split('\n').at(-1) ?? '';
  return JSON.parse(last) as T;
}

/** What a failed trainer run said last: its exit code and the tail of its output, for an assertion message. */
export function failureText(done: Finished): string {
  return `exit ${String(done.code)}\n${(done.stdout + done.stderr).slice(-4000)}`;
}

/** Writes the tiny synthetic detection set (16 train, 8 val images of 64 px) under `dir`; returns its data yaml. */
export async function makeTinyDataset(dir: string): Promise<string> {
  const made = await runTrainerTool('python', [join(TRAINER_HELPERS, 'make-dataset.py'), dir, '--train', '16', '--val', '8', '--size', '64']);
  if (made.code !== 0) throw new Error(`make-dataset.py failed: ${made.stderr}`);
  return made.stdout.trim();
}

/**
 * Inside a real-trainer describe: before its tests, a scratch directory holding the tiny data
 * set (`dataYaml` is its data yaml), removed after them. The fields fill in once beforeAll ran.
 */
export function useTinyDataset(name: string): { scratch: string; dataYaml: string } {
  const place = { scratch: '', dataYaml: '' };
  beforeAll(async () => {
    requireTrainerStack();
    place.scratch = await mkdtemp(join(tmpdir(), `hyperevolve-${name}-`));
    place.dataYaml = await makeTinyDataset(join(place.scratch, 'data'));
  }, TRAINER_TEST_TIMEOUT_MS);
  afterAll(async () => {
    if (place.scratch !== '') await rm(place.scratch, { recursive: true, force: true });
  });
  return place;
}
