// A real trainer's epochs stream onto its trial while it runs, and a real trainer below the cut
// at a rung is stopped there, process group and all, and recorded as pruned (issue 15, item 6).
import { readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { campaignKeys } from '@hyperevolve/contract';
import { trainerProfile } from '@hyperevolve/ga-core';
import { TrialStore } from '@hyperevolve/trial-store';
import { useClusters } from './support/cluster-fixture.js';
import { processAlive, processesMentioning } from './support/faults.js';
import { makeTinyDataset, offlineTrainerEnv, requireTrainerStack, TRAINER_TEST_TIMEOUT_MS, TRAINER_VENV, trainerStackSkipReason } from './support/trainer-stack.js';
import { waitFor } from './support/wait-for.js';

const SKIP = trainerStackSkipReason();
const EPOCHS = 3;

const { redis, cluster } = useClusters(offlineTrainerEnv());

let scratch = '';
let dataYaml = '';

/** `yolo detect train` for EPOCHS epochs of YOLOv8n (from yaml) on the tiny set, every epoch validated. */
function yoloCommand(): string[] {
  // val=True: every epoch is validated, so every row (and curve entry) has metrics; the fast
  // trial's save=False plots=False stay. imgsz=320 (the 64 px images upscaled) makes an epoch
  // 2-4 s, several times the worker's 500 ms look at results.csv, so each is seen on its own.
  return [join(TRAINER_VENV, 'bin/yolo'), 'detect', 'train', `data=${dataYaml}`, 'model=yolov8n.yaml', `epochs=${EPOCHS}`, 'imgsz=320', 'batch=8', 'workers=0', 'val=True'];
}

/** The process group of a live process (Linux /proc), or null when it is gone. */
function processGroup(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[2]);
  } catch {
    return null;
  }
}

/** Live processes of any of `groups`. */
async function processesInGroups(groups: ReadonlySet<number>): Promise<number[]> {
  const pids = await processesMentioning(''); // every process
  return pids.filter((pid) => processAlive(pid) && groups.has(processGroup(pid) ?? -1));
}

/** What one look at the trial hash saw: its status and the epoch its worker had recorded. */
interface Sighting {
  status: string;
  epoch: number;
}

/** Each row of a results.csv as {column: number}, columns trimmed as the trainer pads them. */
function resultsRows(text: string): Record<string, number>[] {
  const [header = '', ...rows] = text.trim().split('\n');
  const columns = header.split(',').map((cell) => cell.trim());
  return rows.map((row) => Object.fromEntries(row.split(',').map((cell, i) => [columns[i] ?? `#${i}`, Number(cell.trim())])));
}

describe.skipIf(SKIP !== null)(`a real trainer's epochs: streamed onto its trial, pruned at a rung${SKIP === null ? '' : ` (skipped: ${SKIP})`}`, { timeout: TRAINER_TEST_TIMEOUT_MS }, () => {
  beforeAll(async () => {
    requireTrainerStack();
    scratch = await mkdtemp(join(tmpdir(), 'hyperevolve-trainer-epochs-'));
    dataYaml = await makeTinyDataset(join(scratch, 'data'));
  }, TRAINER_TEST_TIMEOUT_MS);
  afterAll(async () => {
    if (scratch) await rm(scratch, { recursive: true, force: true });
  });

  it(`Ultralytics \`yolo detect train\` for ${EPOCHS} epochs: epochs 1 and 2 are on the trial before its result, and the curve's last epoch is results.csv's last row`, async () => {
    const command = yoloCommand();
    const c = await cluster('trainer-epochs');
    c.serve();
    c.worker(['--device', 'cpu', '--offline', '--allow-command', command[0] ?? '']);
    const enqueued = await c.cli(['enqueue', '--out', c.outDir, '--name', 'e', '--adapter', 'ultralytics', '--generations', '1', '--seed', '7', '--', ...command]);
    expect(enqueued.code, enqueued.stderr).toBe(0);

    // Watch the trial hash while the trainer runs: one HMGET sees status and epoch together.
    const keys = campaignKeys(c.prefix, 'e');
    const sightings: Sighting[] = [];
    const final = await waitFor(async () => {
      const [status = null, epoch = null] = await redis.hmget(keys.trial(0), 'status', 'epoch');
      if (status === null) return undefined;
      sightings.push({ status, epoch: Number(epoch ?? 0) });
      return ['succeeded', 'failed'].includes(status) ? status : undefined;
    }, { timeoutMs: TRAINER_TEST_TIMEOUT_MS - 60_000, intervalMs: 100, what: 'the trial to be recorded' });
    const trial = await redis.hgetall(keys.trial(0));
    expect(final, `${trial.error ?? ''}\nlog: ${trial.logPath ?? ''}`).toBe('succeeded');

    const whileRunning = [...new Set(sightings.filter((s) => s.status === 'running').map((s) => s.epoch))];
    expect(whileRunning).toEqual(expect.arrayContaining([1, 2]));
    // Epochs only go forward.
    expect(whileRunning).toEqual([...whileRunning].sort((a, b) => a - b));

    const store = new TrialStore(redis, c.prefix);
    const curve = await store.readCurve('e', 0);
    const runName = trial.runName ?? '';
    expect(curve.map((entry) => [entry.run, entry.epoch, entry.epochs])).toEqual([1, 2, 3].map((epoch) => [runName, epoch, EPOCHS]));
    for (const entry of curve) expect(Object.keys(entry.metrics ?? {}), `epoch ${entry.epoch} validated`).not.toHaveLength(0);

    // The trial's last epoch, its curve's last entry and its result are results.csv's last row.
    const rows = resultsRows(await readFile(join(trial.trialDir ?? '', 'results.csv'), 'utf8'));
    expect(rows.map((row) => row.epoch)).toEqual([1, 2, 3]);
    const lastRow = rows.at(-1) ?? {};
    const profile = trainerProfile('ultralytics');
    const expected = Object.fromEntries(profile.metricNames.map((name) => [name, lastRow[name]]));
    expect(curve.at(-1)?.metrics).toEqual(expected);
    expect(JSON.parse(trial.epochMetrics ?? 'null')).toEqual(expected);
    expect(JSON.parse(trial.metrics ?? 'null')).toEqual(expected);
    expect(trial).toMatchObject({ epoch: String(EPOCHS), epochs: String(EPOCHS) });
    expect(await redis.hget(keys.state, 'epochs')).toBe(String(EPOCHS));
  });
  it('Ultralytics below the median of five peers at rung 1 is stopped there: no process of its run is left, it is recorded pruned with a curve ending at epoch 1, and it is no evolve.csv row', async () => {
    const command = yoloCommand();
    const profile = trainerProfile('ultralytics');
    // One imported trial takes index 0, which is never pruned: the first bred trial, the real one, is 1.
    const imported = join(scratch, 'tune_results.ndjson');
    const metrics = { 'metrics/precision(B)': 0.5, 'metrics/recall(B)': 0.5, 'metrics/mAP50(B)': 0.6, 'metrics/mAP50-95(B)': 0.4, 'val/box_loss': 1, 'val/cls_loss': 1, 'val/dfl_loss': 1 };
    await writeFile(imported, `${JSON.stringify({ iteration: 1, fitness: 0.4, hyperparameters: profile.defaultHyp, datasets: { data: { ...metrics, fitness: 0.4 } } })}\n`);
    const c = await cluster('trainer-prune');
    c.serve();
    const enqueued = await c.cli(['enqueue', '--out', c.outDir, '--name', 'p', '--adapter', 'ultralytics', '--generations', '2', '--seed', '7', '--seed-from', imported, '--prune', 'median', '--prune-rungs', '1', '--', ...command]);
    expect(enqueued.code, enqueued.stderr).toBe(0);
    // Five other trials reached rung 1 far above anything this model scores (mAP 0 from scratch).
    const keys = campaignKeys(c.prefix, 'p');
    // As record-epoch keeps them: on the rung's set, and on its log that the windowed median reads.
    for (let i = 0; i < 5; i++) await redis.multi().zadd(keys.rung(1), 0.9, 100 + i).rpush(keys.rungLog(1), `${100 + i}:0.9`).exec();
    c.worker(['--device', 'cpu', '--offline', '--allow-command', command[0] ?? '']);

    // The run's processes: its trainer carries the run's project and name on its command line.
    const running = await waitFor(async () => {
      const [status = null, trialDir = null, runName = null] = await redis.hmget(keys.trial(1), 'status', 'trialDir', 'runName');
      if (status !== 'running' || trialDir === null || runName === null) return undefined;
      const pids = (await processesMentioning(`project=${dirname(trialDir)} name=${runName} `)).filter(processAlive);
      return pids.length > 0 ? { trialDir, runName, pids } : undefined;
    }, { timeoutMs: TRAINER_TEST_TIMEOUT_MS / 2, intervalMs: 200, what: "trial 1's trainer to run" });
    const groups = new Set(running.pids.map(processGroup).filter((group) => group !== null));
    expect(groups.size).toBeGreaterThan(0);
    // No trial after it: the budget's slot a pruned trial frees would start another.
    const paused = await c.cli(['pause', '--name', 'p']);
    expect(paused.code, paused.stderr).toBe(0);

    const final = await waitFor(async () => {
      const status = await redis.hget(keys.trial(1), 'status');
      return status !== null && !['queued', 'running'].includes(status) ? status : undefined;
    }, { timeoutMs: TRAINER_TEST_TIMEOUT_MS / 2, intervalMs: 250, what: 'trial 1 to be recorded' });
    const trial = await redis.hgetall(keys.trial(1));
    expect(final, `${trial.error ?? ''}\nlog: ${trial.logPath ?? ''}`).toBe('pruned');
    expect(trial).toMatchObject({ prunedRung: '1', pruneCut: '0.9' });
    expect(Number(trial.prunedFitness)).toBeLessThan(0.9);

    // Nothing of the run is left: not its trainer, not anything in its process group.
    await waitFor(async () => (await processesMentioning(`project=${dirname(running.trialDir)} name=${running.runName} `)).filter(processAlive).length === 0, {
      timeoutMs: 60_000,
      what: `the pruned run's trainer (${running.pids.join(', ')}) to be gone`,
    });
    await waitFor(async () => (await processesInGroups(groups)).length === 0, { timeoutMs: 60_000, what: `the pruned run's process groups (${[...groups].join(', ')}) to be empty` });

    const curve = await new TrialStore(redis, c.prefix).readCurve('p', 1);
    expect(curve.map((entry) => [entry.run, entry.epoch])).toEqual([[running.runName, 1]]);
    expect(curve[0]?.metrics).toBeDefined();

    // Pruned: out of the rows (evolve.csv has the imported one only), on the pruned list and in pruned.csv.
    expect(await redis.lrange(keys.rows, 0, -1)).toEqual(['0']);
    expect(await redis.lrange(keys.pruned, 0, -1)).toEqual(['1']);
    expect(await redis.hget(keys.state, 'pruned')).toBe('1');
    const out = join(c.outDir, 'p');
    await waitFor(async () => (await readFile(join(out, 'pruned.csv'), 'utf8').catch(() => '')).trimEnd().split('\n')[1]?.startsWith('1,'), { timeoutMs: 60_000, what: 'pruned.csv to list trial 1' });
    expect((await readFile(join(out, 'evolve.csv'), 'utf8')).trimEnd().split('\n')).toHaveLength(2);
  });
});
