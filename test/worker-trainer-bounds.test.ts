// Everything a trainer writes is untrusted (issue 20, items 3-8): a hostile or broken trainer's
// progress file, results file and train.log cannot crash, bloat, hang or blind the worker, and a
// run that exited well is still recorded as the success it is.
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, inject } from 'vitest';
import { campaignKeys, TRAINER_LIMITS } from '@hyperevolve/contract';
import { TrialStore } from '@hyperevolve/trial-store';
import { WorkerHarness } from './support/worker-harness.js';

/**
 * A generic trainer: `body` runs in an async function with `fs`, `path`, `progress` (its progress
 * file), `dir` (its trial directory), `sleep(ms)` and `done(fitness)` (writes its metrics).
 */
function trainer(body: string): string[] {
  const program = [
    "const fs = require('fs'); const path = require('path'); const { execFileSync } = require('child_process');",
    'const progress = process.env.HYPEREVOLVE_PROGRESS_FILE; const dir = process.env.HYPEREVOLVE_TRIAL_DIR;',
    'const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));',
    'const done = (fitness) => fs.writeFileSync(process.env.HYPEREVOLVE_METRICS_FILE, JSON.stringify({ fitness }));',
    `(async () => { ${body} })().catch((error) => { console.error(error); process.exit(9); });`,
  ].join('\n');
  return [process.execPath, '-e', program];
}

/** How many of the worker's log lines match. */
const count = (output: string, pattern: RegExp): number => output.split('\n').filter((line) => pattern.test(line)).length;

describe('a trainer\'s files are bounded and never followed blindly', () => {
  let h: WorkerHarness;
  let store: TrialStore;

  beforeEach(async () => {
    h = await WorkerHarness.create(inject('redisUrl'), 'bounds');
    store = new TrialStore(h.redis, h.prefix);
    await h.setCampaignStatus('exp', 'running');
  });

  afterEach(async () => {
    await h.cleanup();
  });

  it('skips a progress line of 800 MB without a newline, with one warning, and records the run that exited well as succeeded', { timeout: 120_000 }, async () => {
    // The line grows in steps while the worker reads it (sparse: no disk is used).
    await h.addTrial({ campaign: 'exp', index: 0, adapter: 'generic', command: trainer(`
      fs.writeFileSync(progress, '{"epoch": 0}\\n{"epoch": 1, "junk": "');
      for (let step = 1; step <= 4; step++) { fs.truncateSync(progress, step * 200 * 2 ** 20); await sleep(1500); }
      done(0.5);`) });
    const worker = h.startWorker();
    const [result] = await h.waitForResults(1);
    expect(result).toMatchObject({ outcome: 'succeeded', fitness: 0.5 });
    expect((await store.readCurve('exp', 0)).map((entry) => entry.epoch)).toEqual([1]);
    expect(count(worker.output(), new RegExp(`a line longer than ${TRAINER_LIMITS.lineBytes} bytes was skipped`))).toBe(1);
    expect(worker.output()).not.toMatch(/unhandled|Invalid string length/);
  });

  it('reads a sparse 1 GB progress file a bounded piece at a time: the worker never holds its unread size', { timeout: 120_000 }, async () => {
    await h.addTrial({ campaign: 'exp', index: 1, adapter: 'generic', command: trainer(`
      fs.writeFileSync(progress, '{"epoch": 0}\\n');
      fs.truncateSync(progress, 2 ** 30);
      await sleep(2500);
      done(0.25);`) });
    const worker = h.startWorker();
    const [result] = await h.waitForResults(1);
    expect(result).toMatchObject({ outcome: 'succeeded', fitness: 0.25 });
    expect((await store.readCurve('exp', 1)).map((entry) => entry.epoch)).toEqual([1]);
    // The worker's peak resident memory, by the kernel: far below the file's gigabyte.
    const status = await readFile(`/proc/${worker.child.pid}/status`, 'utf8');
    const peakKb = Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1]);
    expect(peakKb).toBeGreaterThan(0);
    expect(peakKb).toBeLessThan(512 * 1024);
  });

  it('keeps out of Redis an epoch of 10,000 metric keys, one of 65 metrics and every epoch past 10,000, with one warning each', { timeout: 180_000 }, async () => {
    await h.addTrial({ campaign: 'exp', index: 2, adapter: 'generic', command: trainer(`
      const metrics = (n) => Object.fromEntries(Array.from({ length: n }, (_, i) => ['loss/part' + i, i / 7]));
      const lines = [JSON.stringify({ epoch: 0, metrics: metrics(10000) }), JSON.stringify({ epoch: 1, metrics: metrics(65) })];
      for (let epoch = 2; epoch < 10100; epoch++) lines.push(JSON.stringify({ epoch, fitness: epoch / 1e5 }));
      fs.writeFileSync(progress, lines.join('\\n') + '\\n');
      done(0.1);`) });
    const worker = h.startWorker();
    const [result] = await h.waitForResults(1, () => true, 120_000);
    expect(result).toMatchObject({ outcome: 'succeeded', fitness: 0.1 });
    const curve = await store.readCurve('exp', 2);
    expect(curve).toHaveLength(TRAINER_LIMITS.epochsPerRun - 2);
    expect(curve[0]?.epoch).toBe(3);
    expect(curve.at(-1)?.epoch).toBe(TRAINER_LIMITS.epochsPerRun);
    expect(curve.every((entry) => entry.metrics === undefined)).toBe(true);
    const bytes = Number(await h.redis.call('MEMORY', 'USAGE', campaignKeys(h.prefix, 'exp').curve(2)));
    expect(bytes).toBeLessThan(2 * 2 ** 20);
    const output = worker.output();
    expect(count(output, /a line longer than 8192 bytes was skipped/)).toBe(1);
    expect(count(output, /epoch 2 has 65 metrics, more than the 64/)).toBe(1);
    expect(count(output, /epoch 10001 is past the 10000 epochs a run may report/)).toBe(1);
  });

  it('stops following at an epoch number no run reaches (2^53 - 1 in a progress file, 1e21 in results.csv): the curve stays readable', { timeout: 120_000 }, async () => {
    await h.addTrial({ campaign: 'exp', index: 3, adapter: 'generic', command: trainer(`
      fs.writeFileSync(progress, '{"epoch": 0}\\n{"epoch": 9007199254740991}\\n{"epoch": 1}\\n');
      await sleep(1000);
      done(0.3);`) });
    // YOLOv5's results.csv, as a script that finds it by --project and --name.
    const script = join(h.dir, 'huge-epoch.cjs');
    const header = 'epoch,train/box_loss,train/obj_loss,train/cls_loss,metrics/precision,metrics/recall,metrics/mAP_0.5,metrics/mAP_0.5:0.95,val/box_loss,val/obj_loss,val/cls_loss,x/lr0,x/lr1,x/lr2';
    await writeFile(script, [
      "const fs = require('fs'); const path = require('path'); const arg = (name) => process.argv[process.argv.indexOf(name) + 1];",
      "const results = path.join(arg('--project'), arg('--name'), 'results.csv');",
      `fs.writeFileSync(results, ${JSON.stringify(`${header}\n0,1,1,1,0.71,0.62,0.68,0.45,0.031,0.02,0.005,0.01,0.01,0.01\n1e21,1,1,1,0.71,0.62,0.68,0.45,0.031,0.02,0.005,0.01,0.01,0.01\n`)});`,
      'setTimeout(() => {}, 1000);',
    ].join('\n'));
    await h.addTrial({ campaign: 'exp', index: 4, command: [process.execPath, script] });
    const worker = h.startWorker();
    await h.waitForResults(2);
    for (const index of [3, 4]) {
      expect((await store.readCurve('exp', index)).map((entry) => entry.epoch)).toEqual([1]);
      expect((await store.readTrial('exp', index))?.epoch).toBe(1);
    }
    expect(count(worker.output(), /epoch 9007199254740992 is past the 10000 epochs/)).toBe(1);
    expect(count(worker.output(), /epoch 1e\+21 is past the 10000 epochs/)).toBe(1);
  });

  it('does not hang on a progress file the trainer replaced by a FIFO: the run that exited well succeeds', { timeout: 90_000 }, async () => {
    await h.addTrial({ campaign: 'exp', index: 5, adapter: 'generic', command: trainer(`
      execFileSync('mkfifo', [progress]);
      await sleep(1500);
      done(0.4);`) });
    const worker = h.startWorker();
    const [result] = await h.waitForResults(1, () => true, 30_000);
    expect(result).toMatchObject({ outcome: 'succeeded', fitness: 0.4 });
    expect(count(worker.output(), /progress\.jsonl is a FIFO, not a regular file: the worker no longer follows it/)).toBe(1);
  });

  it('does not hang on a train.log the trainer replaced by a FIFO: its failure is recorded, the worker stops on SIGTERM', { timeout: 90_000 }, async () => {
    await h.addTrial({ campaign: 'exp', index: 6, adapter: 'generic', command: trainer(`
      const log = path.join(dir, 'train.log');
      fs.rmSync(log);
      execFileSync('mkfifo', [log]);
      console.log('written after the swap');
      process.exit(3);`) });
    const worker = h.startWorker();
    const [result] = await h.waitForResults(1, () => true, 30_000);
    expect(result).toMatchObject({ outcome: 'failed' });
    expect(result?.failure?.message).toMatch(/the trainer exited with code 3/);
    worker.child.kill('SIGTERM');
    expect(await worker.exited).toEqual({ code: 0, signal: null });
  });

  it('never writes through nor reads a train.log the trainer replaced by a link to another file', { timeout: 90_000 }, async () => {
    const secret = join(h.dir, 'secret.txt');
    const text = `${'SECRET-LINE of another file\n'.repeat(40)}`;
    await writeFile(secret, text);
    for (const [index, link] of [[7, 'symlinkSync'], [8, 'linkSync']] as const) {
      await h.addTrial({ campaign: 'exp', index, adapter: 'generic', command: trainer(`
        const log = path.join(dir, 'train.log');
        fs.rmSync(log);
        fs.${link}(${JSON.stringify(secret)}, log);
        for (let i = 0; i < 2000; i++) console.log('trainer output after the swap ' + i);
        process.exit(3);`) });
    }
    h.startWorker();
    const results = await h.waitForResults(2, () => true, 30_000);
    for (const result of results) {
      expect(result).toMatchObject({ outcome: 'failed' });
      expect(result.failure?.message).not.toContain('SECRET');
    }
    expect(await readFile(secret, 'utf8')).toBe(text);
  });
});
