import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import type { EpochEntry } from '@hyperevolve/contract';
import { NO_PRUNING, trainerProfile } from '@hyperevolve/ga-core';
import type { CompleteTrialJob } from './legacy-job.js';
import { RungJudge } from './rung-judge.js';
import { RunEpochs } from './run-epochs.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('RunEpochs', () => {
  it("stops sending epochs to Redis once the run's curve reached its byte budget, with one warning", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'run-epochs-'));
    dirs.push(dir);
    const profile = trainerProfile('generic');
    const trial: CompleteTrialJob = { v: 1, campaign: 'exp', index: 0, command: ['train'], hyp: {}, adapter: 'generic', adapterParams: {}, timeoutMs: null, stallTimeoutMs: null, pruning: { ...NO_PRUNING, rungs: [] }, fastTrials: true, keepArtifacts: { mode: 'all', top: 3 }, fitnessWeights: null };
    const path = profile.epochLog.path({ command: ['train'], projectDir: dir, runName: '0-1', trialDir: dir });
    writeFileSync(path, Array.from({ length: 50 }, (_, epoch) => JSON.stringify({ epoch, fitness: 0.5 })).join('\n') + '\n');
    const recorded: EpochEntry[] = [];
    const warned: string[] = [];
    const lines: string[] = [];
    const log = pino({ level: 'debug' }, { write: (line: string) => lines.push(line) });
    let seen = 0;
    const epochs = new RunEpochs({
      trial,
      profile,
      runName: '0-1',
      path,
      trialDir: dirname(path),
      trials: {
        recordEpoch: (_campaign, _index, entry) => {
          recorded.push(entry);
          return Promise.resolve({ recorded: true });
        },
        warnRun: (_campaign, _index, _run, what) => {
          warned.push(what);
          return Promise.resolve({ noted: true });
        },
      },
      rungs: new RungJudge({ trial, trials: { readRungArrivals: () => Promise.reject(new Error('not a rung')) } }),
      log,
      seen: () => (seen += 1),
      prune: () => undefined,
      curveBytes: 1000,
    });
    epochs.start();
    await epochs.stop();
    const bytes = recorded.reduce((sum, entry) => sum + Buffer.byteLength(JSON.stringify(entry)), 0);
    expect(bytes).toBeLessThanOrEqual(1000);
    expect(recorded.length).toBeGreaterThan(5);
    expect(recorded.length).toBeLessThan(50);
    expect(recorded.map((entry) => entry.epoch)).toEqual(Array.from({ length: recorded.length }, (_, i) => i + 1));
    // Every epoch still counts as progress for the stall watch.
    expect(seen).toBe(50);
    const warnings = lines.map((line) => JSON.parse(line) as { level: number; msg: string }).filter((line) => line.level === 40);
    expect(warnings.map((line) => line.msg)).toEqual([expect.stringMatching(/^per-epoch progress: epoch \d+ and later are not recorded: this run's curve reached 1000 bytes/)]);
    // Noted once on the trial too, where status and the dashboard show it.
    expect(warned).toEqual([expect.stringMatching(/^epoch \d+ and later are not recorded: this run's curve reached 1000 bytes/)]);
  });
});
