// Retraining the winner of an Ultralytics campaign as best_hyperparameters.yaml says (issue 21,
// item 1): the run trains with the evolved hyps AND the optimizer the trials had, not yolo's
// optimizer=auto, which would ignore the evolved lr0 and momentum.
import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readCampaign } from './support/campaign-data.js';
import { useClusters } from './support/cluster-fixture.js';
import { ROOT } from './support/processes.js';
import { offlineTrainerEnv, runHelper, TRAINER_TEST_TIMEOUT_MS, TRAINER_VENV, trainerStackSkipReason, useTinyDataset } from './support/trainer-stack.js';

const SKIP = trainerStackSkipReason();
const { redis, cluster } = useClusters(offlineTrainerEnv());
const TUNE = join(ROOT, 'fixtures/trainer-runs/ultralytics-tune');

/** Runs one line in bash, as a user pasting it into a terminal would. */
function runLine(line: string, cwd: string): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', ['-c', line], { cwd, env: { ...process.env, ...offlineTrainerEnv() }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, output }));
  });
}

describe.skipIf(SKIP !== null)(`retraining the best of an Ultralytics campaign${SKIP === null ? '' : ` (skipped: ${SKIP})`}`, { timeout: TRAINER_TEST_TIMEOUT_MS }, () => {
  const tiny = useTinyDataset('retrain');

  it("best_hyperparameters.yaml's own usage line trains with the best trial's hyps and the trials' optimizer (real yolo, 1 CPU epoch)", async () => {
    const { scratch, dataYaml } = tiny;
    const c = await cluster('retrain');
    const yolo = join(TRAINER_VENV, 'bin/yolo');
    // A campaign whose population is a real Tuner's results (no trials need to run for a best to exist).
    const enqueued = await c.cli(['enqueue', '--name', 'r', '--generations', '1', '--seed-from', join(TUNE, 'tune_results.ndjson'), '--out', c.outDir, '--', yolo, 'detect', 'train', `data=${dataYaml}`, 'model=yolov8n.yaml', 'epochs=1', 'imgsz=64', 'batch=8', 'workers=0']);
    expect(enqueued.code, enqueued.stderr).toBe(0);
    const exported = await c.cli(['export', '--name', 'r', '--out', join(scratch, 'best')]);
    const out = join(scratch, 'best', 'r');
    expect(exported.code, exported.stderr).toBe(0);

    const file = await readFile(join(out, 'best_hyperparameters.yaml'), 'utf8');
    const usage = /^# use: (.*)$/m.exec(file)?.[1];
    expect(usage, file).toBeDefined();
    const retrained = await runLine(usage ?? '', out);
    expect(retrained.code, retrained.output.slice(-4000)).toBe(0);
    expect(retrained.output).not.toMatch(/optimizer=auto/);

    const facts = await runHelper<{ hyps: Record<string, unknown>; args: Record<string, unknown> }>('trial-facts.py', [join(out, 'runs/detect/train')]);
    const saved = { ...facts.args, ...facts.hyps };
    expect(saved).toMatchObject({ optimizer: 'AdamW', data: dataYaml, model: 'yolov8n.yaml', epochs: 1, imgsz: 64 });
    const campaign = await readCampaign(redis, c.prefix, 'r');
    const best = campaign.trials.find((trial) => trial.index === Number(campaign.state.bestTrial))?.hyp ?? {};
    expect(Object.keys(best).length).toBeGreaterThan(20);
    for (const [name, value] of Object.entries(best)) expect(Number(saved[name]), name).toBeCloseTo(value, 9);
  });
});
