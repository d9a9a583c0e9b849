import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { campaignKeys } from '@hyperevolve/contract';
import { readCampaign } from './support/campaign-data.js';
import { useClusters } from './support/cluster-fixture.js';
import { statusJson, statusText, waitForStatus } from './support/faults.js';
import { BIN } from './support/processes.js';
import { waitFor } from './support/wait-for.js';

const { redis, cluster } = useClusters({ HYPEREVOLVE_HOST: 'allow-host', HYPEREVOLVE_HEARTBEAT_MS: '300' });

/**
 * A cluster of several trainers (YOLOv5 on some machines, Ultralytics on others): a campaign's
 * trials wait for a worker whose allow-list takes its command, instead of failing on the
 * workers that may not run it and tripping the circuit breaker.
 */
describe('workers only get trials they may run', () => {
  it('a campaign no live worker allows waits (nothing queued, nothing failed, status says why); a worker that allows it runs it all', { timeout: 420_000 }, async () => {
    const c = await cluster('allow-wait');
    c.serve();
    const strict = [1, 2].map((n) => c.group.spawn(`worker-strict-${n}`, BIN.worker, ['--device', 'cpu', '--workdir', c.workdir, '--allow-command', 'python3 train.py'], c.env));
    await waitFor(async () => (await redis.zcard(`${c.prefix}:workers`)) === 2, { what: 'two strict workers to register' });
    await c.enqueue(['--name', 'sim', '--generations', '4', '--seed', '2', '--max-failures', '2']);

    const waiting = await waitFor(async () => {
      const view = (await statusJson(c, 'sim')).campaigns[0];
      return view?.waitingFor?.startsWith('no live worker allows') === true ? view : undefined;
    }, { timeoutMs: 60_000, what: 'status to say the campaign waits for a worker' });
    expect(waiting.waitingFor).toMatch(/^no live worker allows `.*node.* .*sim-train\.js` \(the live workers allow "python3 train\.py"\); start one with --allow-command "/);
    const text = await statusText(c, 'sim');
    expect(text).toMatch(/^ {2}waiting: no live worker allows `.*sim-train\.js`/m);
    expect(text).toMatch(/^ {2}running 0 {2}waiting \d+ {2}failed 0 /m);
    const state = await redis.hgetall(campaignKeys(c.prefix, 'sim').state);
    expect(state).toMatchObject({ status: 'running', failed: '0', recorded: '0' });
    expect(await readdir(join(c.workdir, 'sim')).catch(() => [])).toEqual([]);

    // A worker that allows the command: the campaign runs to the end, nothing fails.
    c.worker(['--device', 'cpu']);
    await waitForStatus(redis, c.prefix, 'sim', 'done', 300_000);
    const data = await readCampaign(redis, c.prefix, 'sim');
    expect(data.trials.filter((t) => t.status === 'succeeded')).toHaveLength(4);
    expect(data.trials.filter((t) => t.status === 'failed')).toHaveLength(0);
    for (const worker of strict) expect(worker.output()).not.toMatch(/trial started/);
    expect((await statusJson(c, 'sim')).campaigns[0]?.waitingFor).toBeNull();
  });
});
