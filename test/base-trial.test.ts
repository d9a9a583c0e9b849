import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { campaignKeys, trialJobId } from '@hyperevolve/contract';
import { openQueues } from '../apps/scheduler/src/campaign/queues.js';
import { readCampaign } from './support/campaign-data.js';
import { useClusters } from './support/cluster-fixture.js';
import { statusText, waitForStatus } from './support/faults.js';
import { RANDOM_WORD, startGenericCampaign, TRAIN_ON_LR0 } from './support/generic-trainer.js';
import { waitFor } from './support/wait-for.js';

const { redis, cluster } = useClusters();

describe('the base trial', () => {
  it('failing is run again with the base hyps as a new trial, so the campaign has its baseline; exactly N succeed and evolve.csv has N rows', { timeout: 240_000 }, async () => {
    const c = await cluster('base-trial');
    // Fails its very first run only (a marker file), whatever hyps that run has; the others wait
    // for the test to say go (so the test sees their jobs while they run).
    const marker = join(c.dir, 'failed-once');
    const go = join(c.dir, 'go');
    // --attempts 1: its one run failing fails trial 0 for good.
    await startGenericCampaign(c, 'base', 4, [
      `if (!existsSync(${JSON.stringify(marker)})) { writeFileSync(${JSON.stringify(marker)}, ''); console.error('CUDA error: an illegal memory access was encountered'); process.exit(1); }`,
      `while (!existsSync(${JSON.stringify(go)})) await new Promise((resolve) => setTimeout(resolve, 50));`,
      ...TRAIN_ON_LR0,
    ], ['--attempts', '1']);

    // The base runs again as trial 1, and its job says so: a base trial is never pruned.
    const keys = campaignKeys(c.prefix, 'base');
    await waitFor(async () => (await redis.hget(keys.trial(1), 'status')) === 'running', { timeoutMs: 120_000, what: 'trial 1 to run' });
    const queues = openQueues(redis, c.prefix);
    try {
      expect((await queues.trials.getJob(trialJobId('base', 1)))?.data).toMatchObject({ index: 1, base: true });
    } finally {
      await queues.close();
    }
    await writeFile(go, '');
    await waitForStatus(redis, c.prefix, 'base', 'done', 180_000);

    const data = await readCampaign(redis, c.prefix, 'base');
    const [first] = data.trials;
    expect(first).toMatchObject({ index: 0, origin: 'base', status: 'failed' });
    const bases = data.trials.filter((t) => t.origin === 'base');
    expect(bases.map((t) => t.status)).toEqual(['failed', 'succeeded']);
    const again = bases[1];
    expect(again?.hyp).toEqual(first?.hyp);
    expect(again?.parents).toEqual([]);
    // The next index after trial 0's failure: the base before any child of the population.
    expect(again?.index).toBe(1);

    const succeeded = data.trials.filter((t) => t.status === 'succeeded');
    expect(succeeded).toHaveLength(4);
    expect(data.trials).toHaveLength(5);
    expect(data.state).toMatchObject({ recorded: '4', failed: '1' });
    // Its baseline is a row of evolve.csv, with the rest: N rows, the failed trial in none.
    await waitFor(async () => {
      const text = await readFile(join(c.outDir, 'base', 'evolve.csv'), 'utf8').catch(() => '');
      return text.trimEnd().split('\n').length === 5 ? text : undefined;
    }, { timeoutMs: 60_000, what: 'evolve.csv with a header and 4 rows' });
    expect(data.rows).toHaveLength(4);
    expect(data.rows).toContain(again?.index);
    expect(data.rows).not.toContain(0);
  });

  it('failing 3 times (since the last resume) while other trials succeed pauses the campaign with why, instead of running again; resume runs it again', { timeout: 240_000 }, async () => {
    const c = await cluster('base-fails');
    // The base hyps (those of trial 0) fail while `broken` exists, each time with other
    // words (no signature streak); any other hyps train.
    const first = join(c.dir, 'first-hyp.yaml');
    const broken = join(c.dir, 'broken');
    await writeFile(broken, '');
    // Two workers: the base runs again on one (one base trial at a time), children train on the other.
    await startGenericCampaign(c, 'nobase', 12, [
      `if (process.env.HYPEREVOLVE_TRIAL_INDEX === '0') writeFileSync(${JSON.stringify(first)}, hyp);`,
      `if (existsSync(${JSON.stringify(broken)}) && existsSync(${JSON.stringify(first)}) && hyp === readFileSync(${JSON.stringify(first)}, 'utf8')) {`,
      `  ${RANDOM_WORD}`,
      '  console.error(`ValueError: loss is ${word}`);',
      '  process.exit(1);',
      '}',
      ...TRAIN_ON_LR0,
    ], ['--attempts', '1'], 2);
    await waitForStatus(redis, c.prefix, 'nobase', 'paused', 180_000);

    const data = await readCampaign(redis, c.prefix, 'nobase');
    const bases = data.trials.filter((t) => t.origin === 'base');
    expect(bases.map((t) => t.status)).toEqual(['failed', 'failed', 'failed']);
    expect(Number(data.state.recorded)).toBeGreaterThan(0);
    expect(data.state.pausedReason).toMatch(new RegExp(`^the base hyps failed in 3 trials \\(${bases.map((t) => t.index).join(', ')}; the last: ValueError: loss is [g-z]{10}\\), so the campaign has no baseline\\. .*then scheduler resume --name nobase: the base runs again$`));
    expect(await statusText(c, 'nobase')).toContain('  paused: the base hyps failed in 3 trials');

    await rm(broken);
    const resumed = await c.cli(['resume', '--name', 'nobase']);
    expect(resumed.code, resumed.stderr).toBe(0);
    await waitForStatus(redis, c.prefix, 'nobase', 'done', 180_000);
    const done = await readCampaign(redis, c.prefix, 'nobase');
    expect(done.trials.filter((t) => t.origin === 'base').map((t) => t.status)).toEqual(['failed', 'failed', 'failed', 'succeeded']);
    expect(done.trials.filter((t) => t.status === 'succeeded')).toHaveLength(12);
  });
});
