// A campaign's trainer profile params (issue 22): `enqueue --adapter-param` stores them in the
// campaign, serve carries them in every trial job, and the worker runs the profile they
// configure. Real Redis, serve and worker processes; a generic program that writes its files
// under a folder it names when it runs, where only the params tell the worker to look.
import { describe, expect, it } from 'vitest';
import { CampaignConfigSchema, campaignKeys } from '@hyperevolve/contract';
import { useClusters } from './support/cluster-fixture.js';
import { waitFor } from './support/wait-for.js';

const { redis, cluster } = useClusters();

const PROGRAM = [
  "const fs = require('fs'); const path = require('path');",
  "const run = path.join(process.env.HYPEREVOLVE_TRIAL_DIR, 'work', String(Date.now()));",
  'fs.mkdirSync(run, { recursive: true });',
  "const lr0 = Number(/lr0: (.*)/.exec(fs.readFileSync(process.env.HYPEREVOLVE_HYP_FILE, 'utf8'))[1]);",
  "fs.appendFileSync(path.join(run, 'log.jsonl'), JSON.stringify({ epoch: 0, epochs: 1, fitness: lr0 }) + '\\n');",
  "fs.writeFileSync(path.join(run, 'result.json'), JSON.stringify({ fitness: lr0 }));",
].join('\n');

describe('enqueue --adapter-param', () => {
  it('stores the params, carries them in each trial job, and the worker reads the files where they say', async () => {
    const c = await cluster('adapter-params');
    const params = ['--adapter-param', 'metrics=work/*/result.json', '--adapter-param', 'progress=work/*/log.jsonl'];
    const created = await c.cli(['enqueue', '--name', 'ap', '--generations', '3', '--out', c.outDir, ...params, '--', process.execPath, '-e', PROGRAM]);
    expect(created.code, created.stderr).toBe(0);
    expect(created.stdout).toMatch(/^adapter generic params: metrics=work\/\*\/result\.json progress=work\/\*\/log\.jsonl \(--adapter-param K=V sets one\)$/m);
    const keys = campaignKeys(c.prefix, 'ap');
    const config = CampaignConfigSchema.parse(JSON.parse((await redis.get(keys.config)) ?? 'null'));
    expect(config.adapterParams).toEqual({ metrics: 'work/*/result.json', progress: 'work/*/log.jsonl' });

    c.serve();
    c.worker(['--device', 'cpu']);
    await waitFor(async () => (await redis.hget(keys.state, 'status')) === 'done', { timeoutMs: 120_000, intervalMs: 200, what: 'campaign ap to finish' });
    const state = await redis.hgetall(keys.state);
    expect(state).toMatchObject({ recorded: '3', failed: '0' });
    // Each trial's fitness is its own lr0, read from the folder the program named.
    for (let index = 0; index < 3; index++) {
      const trial = await redis.hgetall(keys.trial(index));
      expect(Number(trial.fitness)).toBeCloseTo(Number(JSON.parse(trial.hyp ?? '{}').lr0), 12);
    }
    // Extending the campaign with other params is refused, naming the setting.
    const other = await c.cli(['enqueue', '--name', 'ap', '--generations', '1', '--out', c.outDir, '--', process.execPath, '-e', PROGRAM]);
    expect(other.code).toBe(2);
    expect(other.stderr).toMatch(/adapterParams: campaign has \{"metrics":"work\/\*\/result\.json","progress":"work\/\*\/log\.jsonl"\}, this enqueue gives \{\}/);
  });
});
