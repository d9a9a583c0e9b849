// A real trainer's epochs stream onto its trial while it runs (issue 15, item 6).
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { campaignKeys } from '@hyperevolve/contract';
import { trainerProfile } from '@hyperevolve/ga-core';
import { TrialStore } from '@hyperevolve/trial-store';
import { useClusters } from './support/cluster-fixture.js';
import { makeTinyDataset, offlineTrainerEnv, requireTrainerStack, TRAINER_TEST_TIMEOUT_MS, TRAINER_VENV, trainerStackSkipReason } from './support/trainer-stack.js';
import { waitFor } from './support/wait-for.js';

const SKIP = trainerStackSkipReason();
const EPOCHS = 3;

const { redis, cluster } = useClusters(offlineTrainerEnv());

let scratch = '';
let dataYaml = '';

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

describe.skipIf(SKIP !== null)(`a real trainer's epochs stream onto its trial${SKIP === null ? '' : ` (skipped: ${SKIP})`}`, { timeout: TRAINER_TEST_TIMEOUT_MS }, () => {
  beforeAll(async () => {
    requireTrainerStack();
    scratch = await mkdtemp(join(tmpdir(), 'hyperevolve-trainer-epochs-'));
    dataYaml = await makeTinyDataset(join(scratch, 'data'));
  }, TRAINER_TEST_TIMEOUT_MS);
  afterAll(async () => {
    if (scratch) await rm(scratch, { recursive: true, force: true });
  });

  it(`Ultralytics \`yolo detect train\` for ${EPOCHS} epochs: epochs 1 and 2 are on the trial before its result, and the curve's last epoch is results.csv's last row`, async () => {
    const yolo = join(TRAINER_VENV, 'bin/yolo');
    // val=True: every epoch is validated, so every row (and curve entry) has metrics; the fast trial's save=False plots=False stay.
    const command = [yolo, 'detect', 'train', `data=${dataYaml}`, 'model=yolov8n.yaml', `epochs=${EPOCHS}`, 'imgsz=320', 'batch=8', 'workers=0', 'val=True'];
    const c = await cluster('trainer-epochs');
    c.serve();
    c.worker(['--device', 'cpu', '--offline', '--allow-command', yolo]);
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
});
