import { join } from 'node:path';
import { CampaignConfigSchema, campaignKeys } from '@hyperevolve/contract';
import { describe, expect, it } from 'vitest';
import { useClusters } from './support/cluster-fixture.js';
import { BIN, FIXTURES } from './support/processes.js';

const { cluster, redis } = useClusters();

describe('what scheduler enqueue tells the user', () => {
  it('--prune: the rungs and eta it chose from the command, or that they are as given', async () => {
    const c = await cluster('enqueue-prune-echo');
    const chosen = await c.enqueue(['--name', 'a', '--generations', '2', '--full-trials', '--prune', 'asha'], ['--epochs', '10']);
    expect(chosen.stdout).toMatch(/^prune asha: trials are compared after epochs 1, 3 \(chosen from the command's 10 epochs and eta 3; --prune-rungs to set them\), keeping the top 1\/3$/m);
    const given = await c.enqueue(['--name', 'm', '--generations', '2', '--full-trials', '--prune', 'median', '--prune-rungs', '2'], ['--epochs', '10']);
    expect(given.stdout).toMatch(/^prune median: trials are compared after epoch 2 \(as given\)$/m);
    const none = await c.enqueue(['--name', 'n', '--generations', '2'], ['--epochs', '10']);
    expect(none.stdout).not.toMatch(/prune/);
  });

  it('--prune-param: the rule\'s params stored in the campaign and echoed; preview shows the same from the same flags; a bad one exit 2 naming the params', async () => {
    const c = await cluster('enqueue-prune-param');
    const flags = ['--prune', 'asha', '--prune-param', 'eta=4', '--prune-param', 'window=8'];
    const trainer = ['--', process.execPath, BIN.simTrain, '--epochs', '30'];
    const created = await c.enqueue(['--name', 'p', '--generations', '2', '--full-trials', ...flags], ['--epochs', '30']);
    const config = CampaignConfigSchema.parse(JSON.parse((await redis.get(campaignKeys(c.prefix, 'p').config)) ?? 'null'));
    // η 4 spaces the rungs of 30 epochs: 30/4 → 8, 30/16 → 2.
    expect(config.pruning).toEqual({ mode: 'asha', rungs: [2, 8], eta: 4, minPeers: 5, window: 8 });
    const echoed = created.stdout.split('\n').filter((line) => line.startsWith('prune '));
    expect(echoed).toEqual([
      "prune asha: trials are compared after epochs 2, 8 (chosen from the command's 30 epochs and eta 4; --prune-rungs to set them), keeping the top 1/4",
      'prune asha params: rungs=2,8 eta=4 window=8 (--prune-param K=V sets one)',
    ]);
    const preview = await c.cli(['preview', '--population', join(FIXTURES, 'evolve.csv'), '--count', '2', ...flags, ...trainer]);
    expect(preview.code, preview.stderr).toBe(0);
    expect(preview.stderr.split('\n').filter((line) => line.startsWith('prune '))).toEqual(echoed);

    for (const verb of [['enqueue', '--out', c.outDir, '--name', 'q', '--generations', '2', '--full-trials'], ['preview', '--population', join(FIXTURES, 'evolve.csv')]]) {
      const refused = await c.cli([...verb, '--prune', 'asha', '--prune-param', 'eta=1', ...trainer]);
      expect(refused.code, verb[0]).toBe(2);
      expect(refused.stdout).toBe('');
      expect(refused.stderr).toMatch(/^scheduler: --prune-param: prune asha: eta: must be a number above 1 \(3 keeps the top third at each rung\), got 1\. prune asha takes rungs \(.*\), eta \(.*; default 3\), window \(.*; default 16\)$/m);
    }
    expect(await redis.exists(campaignKeys(c.prefix, 'q').config)).toBe(0);
  });
});
