import { describe, expect, it } from 'vitest';
import { useClusters } from './support/cluster-fixture.js';

const { cluster } = useClusters();

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
});
