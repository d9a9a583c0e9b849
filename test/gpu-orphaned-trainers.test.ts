import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, inject, it } from 'vitest';
import { isLive, readProcStat } from '../apps/worker/src/orphans/proc-stat.js';
import { BIN, type Managed } from './support/processes.js';
import { waitFor } from './support/wait-for.js';
import { WorkerHarness } from './support/worker-harness.js';

/** Alive and not a zombie (an orphan's new parent may be slow to reap it). */
async function running(pid: number): Promise<boolean> {
  return isLive(await readProcStat(pid));
}

describe.runIf(process.platform === 'linux')('trainers orphaned by a worker killed with SIGKILL', () => {
  let h: WorkerHarness;

  beforeEach(async () => {
    h = await WorkerHarness.create(inject('redisUrl'), 'orphans');
  });

  afterEach(async () => {
    await h.cleanup();
  });

  /** The trainer a worker recorded under <workdir>/.running, once it has. */
  async function recordedTrainer(worker: Managed): Promise<number> {
    return waitFor(async () => {
      const dir = join(h.workdir, '.running');
      const name = (await readdir(dir).catch(() => [])).find((file) => file.endsWith(`-cpu-${worker.child.pid}.json`));
      if (name === undefined) return undefined;
      const record = JSON.parse(await readFile(join(dir, name), 'utf8')) as { trainerPid: number; host: string; device: string };
      expect(record).toMatchObject({ host: 'orphan-box', device: 'cpu' });
      return record.trainerPid;
    }, { what: `${worker.name} to record its trainer` });
  }

  it('are killed by the next worker on that device before it takes a job; a live worker\'s trainer is left alone', async () => {
    const env = { HYPEREVOLVE_HOST: 'orphan-box' };
    await h.setCampaignStatus('exp', 'running');
    await h.addTrial({ campaign: 'exp', index: 0, command: [process.execPath, BIN.simTrain, '--fail', 'hang'] });
    const first = h.startWorker(undefined, env);
    const orphan = await recordedTrainer(first);

    const second = h.startWorker(undefined, env);
    await second.waitForOutput(/waiting for trials/);
    expect(await running(orphan)).toBe(true);

    await first.kill('SIGKILL');
    expect(await running(orphan)).toBe(true);
    // The job stalls back to the queue and the second worker runs it: a live worker's trainer now.
    const live = await recordedTrainer(second);

    const third = h.startWorker(undefined, env);
    await third.waitForOutput(/waiting for trials/);
    const output = third.output();
    expect(output).toMatch(new RegExp(`"pgid":${orphan},"pids":\\[${orphan}\\],"deadWorkerPid":${first.child.pid}.*left its trainer running on this device; killing its process group`));
    expect(output.indexOf('killing its process group')).toBeLessThan(output.indexOf('waiting for trials'));
    expect(await running(orphan)).toBe(false);
    expect(await running(live)).toBe(true);
    expect((await readdir(join(h.workdir, '.running'))).filter((file) => file.endsWith('.json'))).toEqual([`orphan-box-cpu-${second.child.pid}.json`]);
  });
});
