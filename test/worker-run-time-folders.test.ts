// A trainer profile's files may sit under a folder the trainer names only when it runs (issue 22):
// mmengine's <work_dir>/<timestamp>/vis_data/scalars.json. Here the generic profile, configured by
// the campaign's adapter params, finds a program's progress and metrics under such a folder, and
// never a newer one behind a symbolic link the program planted to lead it out of the run.
import { mkdir, mkdtemp, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, inject, it } from 'vitest';
import { TrialStore } from '@hyperevolve/trial-store';
import { WorkerHarness } from './support/worker-harness.js';
import { waitFor } from './support/wait-for.js';

describe('worker finds run files under a folder named at run time', () => {
  let h: WorkerHarness;
  let store: TrialStore;
  let outside: string;

  beforeEach(async () => {
    h = await WorkerHarness.create(inject('redisUrl'), 'run-time-folders');
    store = new TrialStore(h.redis, h.prefix);
    // What a link in the run directory points at: a newer, fitter run that is not this one's.
    outside = await mkdtemp(join(tmpdir(), 'run-time-folders-outside-'));
    await mkdir(join(outside, 'vis_data'));
    await writeFile(join(outside, 'vis_data', 'progress.jsonl'), '{"epoch": 0, "fitness": 0.99}\n{"epoch": 1, "fitness": 0.99}\n{"epoch": 2, "fitness": 0.99}\n');
    await writeFile(join(outside, 'metrics.json'), '{"fitness": 0.99}');
    // Newer than anything the run writes: followed, the link would win the newest match.
    const later = Date.now() / 1000 + 3600;
    for (const file of [join(outside, 'vis_data', 'progress.jsonl'), join(outside, 'metrics.json')]) await utimes(file, later, later);
  });

  afterEach(async () => {
    await h.cleanup();
    await rm(outside, { recursive: true, force: true });
  });

  it('follows the epochs and reads the result the program wrote under <timestamp>/, with the paths the adapter params give', async () => {
    await h.setCampaignStatus('exp', 'running');
    const program = [
      "const fs = require('fs'); const path = require('path');",
      'const trial = process.env.HYPEREVOLVE_TRIAL_DIR;',
      // Paths with * name no one file: the program is not told them, it writes where it writes.
      "if (process.env.HYPEREVOLVE_PROGRESS_FILE !== undefined || process.env.HYPEREVOLVE_METRICS_FILE !== undefined) process.exit(3);",
      "const stamp = new Date().toISOString().replace(/[-:.]/g, '').slice(0, 15);",
      "const run = path.join(trial, stamp); fs.mkdirSync(path.join(run, 'vis_data'), { recursive: true });",
      "fs.symlinkSync(process.argv[1], path.join(trial, '99999999T999999'));",
      "const log = path.join(run, 'vis_data', 'progress.jsonl');",
      "fs.appendFileSync(log, '{\"epoch\": 0, \"epochs\": 2, \"fitness\": 0.1}\\n');",
      // The second epoch waits until the worker saw the first (it is on the trial), as a real run's would.
      "const seen = () => fs.existsSync(path.join(trial, 'go'));",
      "const tick = setInterval(() => { if (!seen()) return; clearInterval(tick);",
      "  fs.appendFileSync(log, '{\"epoch\": 1, \"epochs\": 2, \"fitness\": 0.2}\\n');",
      "  fs.writeFileSync(path.join(run, 'metrics.json'), JSON.stringify({ fitness: 0.2 })); }, 50);",
    ].join('\n');
    const adapterParams = { progress: '*/vis_data/progress.jsonl', metrics: '*/metrics.json' };
    await h.addTrial({ campaign: 'exp', index: 0, command: [process.execPath, '-e', program, outside], adapter: 'generic', adapterParams });
    h.startWorker(['--device', 'cpu', '--allow-command', process.execPath]);

    await waitFor(async () => ((await store.readProgress('exp', [0]))[0]?.epoch ?? 0) >= 1, { timeoutMs: 60_000, what: 'the first epoch on the trial' });
    expect(await h.postedResults()).toHaveLength(0);
    await writeFile(join(h.workdir, 'exp', '0-1', 'go'), '');

    const [result] = await h.waitForResults(1);
    expect(result).toMatchObject({ outcome: 'succeeded', fitness: 0.2 });
    const curve = await store.readCurve('exp', 0);
    expect(curve.map(({ run, epoch, fitness }) => ({ run, epoch, fitness }))).toEqual([
      { run: '0-1', epoch: 1, fitness: 0.1 },
      { run: '0-1', epoch: 2, fitness: 0.2 },
    ]);
  });
});
