import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { scanKeys } from '@hyperevolve/runtime';
import { useClusters } from './support/cluster-fixture.js';
import type { Cluster } from './support/cluster.js';
import { BIN } from './support/processes.js';
import { waitFor } from './support/wait-for.js';

const { redis, cluster } = useClusters();

const statusOf = async (c: Cluster, name: string): Promise<string | null> => redis.hget(`${c.prefix}:c:{${name}}:state`, 'status');

async function waitStatus(c: Cluster, name: string, status: string): Promise<void> {
  await waitFor(async () => (await statusOf(c, name)) === status, { timeoutMs: 120_000, intervalMs: 200, what: `campaign ${name} to be ${status}` });
}

describe('scheduler delete, and the verbs that default to the only campaign', () => {
  it('deletes a finished campaign with --yes, keeps its files, and the name starts afresh', { timeout: 240_000 }, async () => {
    const c = await cluster('delete');
    c.serve();
    c.worker();
    await c.enqueue(['--name', 'exp', '--generations', '3', '--seed', '1']);
    await waitStatus(c, 'exp', 'done');
    const files = join(c.outDir, 'exp');
    const csv = await waitFor(async () => {
      const text = await readFile(join(files, 'evolve.csv'), 'utf8').catch(() => '');
      return text.trimEnd().split('\n').length === 4 ? text : undefined;
    }, { what: 'evolve.csv with its 3 rows' });
    await waitFor(async () => (await readdir(files)).includes('hyp_evolve.yaml'), { what: 'hyp_evolve.yaml' });

    // Piped stdin: nobody to ask.
    const unasked = await c.cli(['delete', '--name', 'exp']);
    expect(unasked.code).toBe(2);
    expect(unasked.stderr).toMatch(/stdin is not a terminal, so there is nobody to ask; add --yes to delete campaign exp/);
    expect(await statusOf(c, 'exp')).toBe('done');

    const deleted = await c.cli(['delete', '--name', 'exp', '--yes']);
    expect(deleted.stderr).toBe('');
    expect(deleted.code).toBe(0);
    expect(deleted.stdout).toMatch(new RegExp(`campaign exp deleted; its files in ${files} stay`));
    expect(await scanKeys(redis, `${c.prefix}:c:{exp}:*`)).toEqual([]);
    expect(await redis.smembers(`${c.prefix}:campaigns`)).toEqual([]);
    expect(await readFile(join(files, 'evolve.csv'), 'utf8')).toBe(csv);
    expect((await c.cli(['list'])).stdout).toBe('no campaigns\n');
    expect((await c.cli(['delete', '--name', 'exp', '--yes'])).stderr).toMatch(/no campaign named exp/);
    // A deleted campaign is not a lost one: status does not cry data loss over its files.
    const status = await c.cli(['status', '--out', c.outDir]);
    expect(status.stdout).not.toContain('is not in Redis');
    expect(status.stdout).toContain('no campaigns yet');
    expect((await c.cli(['status', '--name', 'exp', '--out', c.outDir])).stderr).toMatch(/no campaign named exp; scheduler list shows the campaigns/);

    // Other settings under the same name: a new campaign, from trial 0, with fresh trial hashes.
    const again = await c.enqueue(['--name', 'exp', '--generations', '2', '--seed', '2', '--attempts', '2']);
    expect(again.stdout).toMatch(/created campaign exp: 2 generations, seed 2/);
    // Its files are kept aside, not overwritten by the new campaign's.
    const aside = /note: the files of the deleted campaign exp \(evolve\.csv: 3 rows, hyp_evolve\.yaml.*\) are in (\S+) now/.exec(again.stdout)?.[1];
    expect(aside, again.stdout).toBeDefined();
    expect(await readFile(join(aside!, 'evolve.csv'), 'utf8')).toBe(csv);
    await waitStatus(c, 'exp', 'done');
    expect(await redis.hget(`${c.prefix}:c:{exp}:state`, 'recorded')).toBe('2');
    expect(await redis.exists(`${c.prefix}:c:{exp}:trial:2`)).toBe(0);
  });

  it('refuses a running campaign and one whose trial a worker still runs; asks on a terminal', { timeout: 240_000 }, async () => {
    const c = await cluster('delete-busy');
    c.serve();
    // --grace 0: stopped, it hands its trial back at once rather than let it finish.
    const worker = c.worker(['--device', 'cpu', '--grace', '0']);
    await c.enqueue(['--name', 'slow', '--generations', '2'], ['--epochs', '2', '--duration-ms', '600000']);
    await waitFor(async () => (await redis.hget(`${c.prefix}:c:{slow}:trial:0`, 'status')) === 'running', { timeoutMs: 60_000, what: 'trial 0 to run' });

    const running = await c.cli(['delete', '--name', 'slow', '--yes']);
    expect(running.code).toBe(2);
    expect(running.stderr).toMatch(/campaign slow is running; cancel it first \(scheduler cancel --name slow\)/);

    expect((await c.cli(['pause', '--name', 'slow'])).code).toBe(0);
    const busy = await c.cli(['delete', '--name', 'slow', '--yes']);
    expect(busy.code).toBe(2);
    expect(busy.stderr).toMatch(/campaign slow has 1 trial\(s\) still running on workers \(0\); wait for them to finish/);
    expect(await statusOf(c, 'slow')).toBe('paused');

    // The worker stops (SIGTERM hands its trial back to the queue): nothing runs, and the terminal is asked.
    await worker.kill('SIGTERM');
    await waitFor(async () => (await busyTrials(c)) === 0, { timeoutMs: 30_000, intervalMs: 200, what: 'the stopped worker\'s job to leave the active list' });
    const no = c.group.spawnOnTerminal('delete-no', BIN.scheduler, ['delete', '--name', 'slow'], c.env);
    await no.waitForOutput(/Delete campaign slow \(paused, 0 of 2 trials recorded\) from Redis\? Its files in .*slow stay\. \[y\/N\] /);
    no.child.stdin?.write('n\n');
    expect((await no.exited).code).toBe(1);
    expect(no.output()).toMatch(/campaign slow kept/);
    expect(await statusOf(c, 'slow')).toBe('paused');

    const yes = c.group.spawnOnTerminal('delete-yes', BIN.scheduler, ['delete', '--name', 'slow'], c.env);
    await yes.waitForOutput(/\[y\/N\] /);
    yes.child.stdin?.write('yes\n');
    expect((await yes.exited).code).toBe(0);
    expect(yes.output()).toMatch(/campaign slow deleted/);
    expect(await scanKeys(redis, `${c.prefix}:c:{slow}:*`)).toEqual([]);
  });

  it('best and export take the only campaign without --name; with two they name both', { timeout: 240_000 }, async () => {
    const c = await cluster('only');
    c.serve();
    c.worker();
    await c.enqueue(['--name', 'first', '--generations', '2']);
    await waitStatus(c, 'first', 'done');
    const best = await c.cli(['best']);
    expect(best.stderr).toBe('');
    expect(best.stdout).toBe((await c.cli(['best', '--name', 'first'])).stdout);
    expect(best.stdout).toMatch(/^# YOLOv5 Hyperparameter Evolution Results/);
    const exported = await c.cli(['export', '--out', join(c.dir, 'exported')]);
    expect(exported.code, exported.stderr).toBe(0);
    expect(exported.stdout).toMatch(/evolve\.csv \(2 rows\)/);

    await c.enqueue(['--name', 'second', '--generations', '1']);
    for (const verb of ['best', 'export']) {
      const which = await c.cli(verb === 'export' ? [verb, '--out', join(c.dir, 'x')] : [verb]);
      expect(which.code).toBe(2);
      expect(which.stderr).toMatch(new RegExp(`scheduler ${verb}: --name is required when there is more than one campaign; choose one of first, second`));
    }
  });
});

/** Trial jobs a worker holds (BullMQ's active list of the trials queue). */
async function busyTrials(c: Cluster): Promise<number> {
  return redis.llen(`${c.prefix}:{trials}:active`);
}
