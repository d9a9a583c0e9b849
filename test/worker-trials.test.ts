import { writeFile, readFile, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, inject, it } from 'vitest';
import { campaignKeys, trialJobId } from '@hyperevolve/contract';
import { YOLOV5_METRIC_NAMES, parseHypYaml, yolov5Profile } from '@hyperevolve/ga-core';
import { BIN } from './support/processes.js';
import { processAlive, scratchLowHyp, WorkerHarness } from './support/worker-harness.js';
import { waitFor } from './support/wait-for.js';

const SIM = [process.execPath, BIN.simTrain, '--epochs', '2', '--duration-ms', '100'];

describe('worker runs trials', () => {
  let h: WorkerHarness;

  beforeEach(async () => {
    h = await WorkerHarness.create(inject('redisUrl'), 'trials');
  });

  afterEach(async () => {
    await h.cleanup();
  });

  it('runs sim-train, keeps hyp.yaml, command.txt and train.log, marks the trial running and posts a succeeded result', async () => {
    await h.setCampaignStatus('exp', 'running');
    await h.addTrial({ campaign: 'exp', index: 0, command: SIM });
    const worker = h.startWorker();

    const [result] = await h.waitForResults(1);
    expect(result).toMatchObject({ v: 1, campaign: 'exp', index: 0, attempt: 1, runName: '0-1', final: true, outcome: 'succeeded', failure: null, fitness: null });
    expect(Object.keys(result!.metrics ?? {})).toEqual([...YOLOV5_METRIC_NAMES]);
    for (const name of yolov5Profile.fitnessMetrics) expect(result!.metrics![name]).toBeGreaterThan(0);
    expect(result!.worker.device).toBe('cpu');
    expect(result!.worker.id).toMatch(new RegExp(`:${worker.child.pid}:cpu$`));

    const trialDir = join(h.workdir, 'exp', '0-1');
    expect(result!.trialDir).toBe(trialDir);
    expect(result!.logPath).toBe(join(trialDir, 'train.log'));
    expect(result!.command).toEqual([...SIM, '--hyp', join(trialDir, 'hyp.yaml'), '--device', 'cpu', '--project', join(h.workdir, 'exp'), '--name', '0-1', '--exist-ok', '--noval', '--nosave']);
    expect(parseHypYaml(await readFile(join(trialDir, 'hyp.yaml'), 'utf8'))).toEqual(await scratchLowHyp());
    expect(await readFile(join(trialDir, 'command.txt'), 'utf8')).toBe(`${result!.command.join(' ')}\n`);
    expect((await stat(join(trialDir, 'train.log'))).size).toBeGreaterThan(0);
    expect((await stat(join(trialDir, 'results.csv'))).size).toBeGreaterThan(0);

    const trial = await h.trialHash('exp', 0);
    expect(trial).toMatchObject({ status: 'running', attempt: '1', runName: '0-1', worker: result!.worker.id, device: 'cpu', trialDir, logPath: join(trialDir, 'train.log') });
    expect(JSON.parse(trial.command!)).toEqual(result!.command);
    await waitFor(async () => (await h.trials.getJobCounts('completed', 'waiting', 'active')).waiting === 0, { what: 'the trial job to leave the queue' });
    expect(await h.trials.getJob(trialJobId('exp', 0))).toBeUndefined();
  });

  it('a trainer that exits 3 with attempts 2: two failed results in distinct run dirs, the last final', async () => {
    await h.setCampaignStatus('exp', 'running');
    await h.addTrial({ campaign: 'exp', index: 4, command: [...SIM, '--fail', 'exit:3'] }, 2);
    h.startWorker();

    const results = await h.waitForResults(2);
    expect(results.map((r) => [r.runName, r.attempt, r.outcome, r.final, r.failure?.kind])).toEqual([
      ['4-1', 1, 'failed', false, 'exit-code'],
      ['4-2', 2, 'failed', true, 'exit-code'],
    ]);
    expect(results[0]!.failure!.message).toMatch(/exited with code 3; last lines of .*train\.log/);
    expect(results[0]!.trialDir).not.toBe(results[1]!.trialDir);
    expect((await readdir(join(h.workdir, 'exp'))).sort()).toEqual(['4-1', '4-2']);
    await waitFor(async () => (await h.trials.getJobState(trialJobId('exp', 4))) === 'failed', { what: 'the trial job to fail after 2 attempts' });
  });

  it('refuses a command outside the allow-list: one unrecoverable result, the trainer never runs', async () => {
    await h.setCampaignStatus('exp', 'running');
    const marker = join(h.dir, 'ran');
    await h.addTrial({ campaign: 'exp', index: 1, command: [process.execPath, '-e', `require("fs").writeFileSync(${JSON.stringify(marker)}, "x")`], adapter: 'generic' }, 3);
    h.startWorker(['--device', 'cpu', '--allow-command', `${process.execPath} ${BIN.simTrain}`]);

    const [result] = await h.waitForResults(1);
    expect(result).toMatchObject({ index: 1, attempt: 1, outcome: 'failed', final: true, failure: { kind: 'command-not-allowed' } });
    expect(result!.failure!.message).toMatch(/does not allow the command.*--allow-command/);
    await waitFor(async () => (await h.trials.getJobState(trialJobId('exp', 1))) === 'failed', { what: 'the trial job to fail' });
    const job = await h.trials.getJob(trialJobId('exp', 1));
    expect(job?.attemptsMade).toBe(1);
    expect(await h.postedResults()).toHaveLength(1);
    await expect(stat(marker)).rejects.toThrow(/ENOENT/);
    expect((await h.trialHash('exp', 1)).status).toBe('queued');
  });

  it('hands back a trial of a campaign whose own command it does not allow: no attempt counted, no result, the trainer never runs', async () => {
    await h.setCampaignStatus('exp', 'running');
    const command = [process.execPath, BIN.simTrain, '--epochs', '2'];
    await h.redis.set(campaignKeys(h.prefix, 'exp').config, JSON.stringify({ command }));
    await h.addTrial({ campaign: 'exp', index: 2, command }, 3);
    const worker = h.startWorker(['--device', 'cpu', '--allow-command', 'python3 train.py']);

    await worker.waitForOutput(/does not allow `[^`]*sim-train\.js` \(it allows \\"python3 train\.py\\"\); handing the trial back for a worker that does, without counting an attempt/);
    const job = await waitFor(async () => {
      const found = await h.trials.getJob(trialJobId('exp', 2));
      return (await found?.getState()) === 'delayed' ? found : undefined;
    }, { what: 'the trial job to be handed back (delayed)' });
    expect(job?.attemptsMade).toBe(0);
    expect(await h.postedResults()).toEqual([]);
    expect(await readdir(join(h.workdir, 'exp')).catch(() => [])).toEqual([]);
    // Its heartbeat says what it allows, for the scheduler to queue only what some worker may run.
    const [id] = await h.registeredWorkers();
    expect(JSON.parse((await h.heartbeat(id!)).allow ?? 'null')).toEqual([['python3', 'train.py']]);
  });

  it('survives garbage jobs written straight into the queue and runs the next good one', async () => {
    await h.setCampaignStatus('exp', 'running');
    await h.trials.add('trial', { v: 1, campaign: 'exp', index: 9, hyp: { lr0: 'high' }, command: 'rm -rf /' }, { jobId: 'garbage-1' });
    await h.trials.add('trial', 'just a string', { jobId: 'garbage-2' });
    await h.trials.add('trial', { campaign: '../../etc', index: -1 }, { jobId: 'garbage-3' });
    const worker = h.startWorker();
    await waitFor(async () => (await h.trials.getJobCounts('failed')).failed === 3, { what: 'the three garbage jobs to fail' });
    await h.addTrial({ campaign: 'exp', index: 2, command: SIM });

    const results = await h.waitForResults(2);
    expect(results.find((r) => r.index === 9)).toMatchObject({ campaign: 'exp', outcome: 'failed', final: true, failure: { kind: 'bad-payload' } });
    expect(results.find((r) => r.index === 9)!.failure!.message).toMatch(/data\.hyp\.lr0/);
    expect(results.find((r) => r.index === 2)).toMatchObject({ outcome: 'succeeded' });
    expect(worker.child.exitCode).toBeNull();
    expect(worker.output()).toMatch(/is not a valid trial job/);
    const failed = await h.trials.getFailed();
    expect(failed.map((job) => job.failedReason).join('\n')).toMatch(/bad-payload/);
  });

  // 5 s, not less: sim-train starts through tsx, which can take over a second on a busy machine,
  // and the child must exist before the timeout for the test to mean anything.
  it('kills a hanging trainer and its child at the timeout: failure kind timeout', async () => {
    await h.setCampaignStatus('exp', 'running');
    await h.addTrial({ campaign: 'exp', index: 3, command: [...SIM, '--fail', 'hang-with-child'], timeoutMs: 5000 });
    h.startWorker();

    const childPidFile = join(h.workdir, 'exp', '3-1', 'child.pid');
    const childPid = await waitFor(async () => Number((await readFile(childPidFile, 'utf8').catch(() => '')).trim()) || undefined, { what: 'sim-train to start its child', timeoutMs: 10_000 });
    expect(processAlive(childPid)).toBe(true);
    const [result] = await h.waitForResults(1);
    expect(result).toMatchObject({ outcome: 'failed', final: true, failure: { kind: 'timeout' } });
    expect(result!.failure!.message).toMatch(/timeout of 5 s/);
    expect(result!.finishedAt - result!.startedAt).toBeGreaterThanOrEqual(5000);
    await waitFor(() => !processAlive(childPid), { timeoutMs: 10_000, what: `the trainer's child ${childPid} to be gone` });
  });

  it('classifies garbled, missing and NaN results', async () => {
    await h.setCampaignStatus('exp', 'running');
    await h.addTrial({ campaign: 'exp', index: 10, command: [...SIM, '--fail', 'garbage'] });
    await h.addTrial({ campaign: 'exp', index: 11, command: [...SIM, '--fail', 'no-results'] });
    await h.addTrial({ campaign: 'exp', index: 12, command: [...SIM, '--fail', 'nan'] });
    await h.addTrial({ campaign: 'exp', index: 13, command: ['no-such-trainer-on-path'] });
    h.startWorker(['--device', 'cpu', '--allow-command', process.execPath, '--allow-command', 'no-such-trainer-on-path']);

    const results = await h.waitForResults(4);
    const kinds = Object.fromEntries(results.map((r) => [r.index, r.failure?.kind]));
    expect(kinds).toEqual({ 10: 'results-garbled', 11: 'results-missing', 12: 'metrics-nan', 13: 'spawn-error' });
    expect(results.find((r) => r.index === 13)!.failure!.message).toMatch(/"no-such-trainer-on-path" was not found on the PATH/);
  });

  it('generic adapter: runs a script that reads $HYPEREVOLVE_HYP_FILE and writes $HYPEREVOLVE_METRICS_FILE', async () => {
    const script = join(h.dir, 'train.mjs');
    await writeFile(script, [
      "import { readFileSync, writeFileSync } from 'node:fs';",
      "const hyp = Object.fromEntries(readFileSync(process.env.HYPEREVOLVE_HYP_FILE, 'utf8').trim().split('\\n').map((l) => l.split(': ')).map(([k, v]) => [k, Number(v)]));",
      "console.log('device', process.env.HYPEREVOLVE_DEVICE, 'trial', process.env.HYPEREVOLVE_CAMPAIGN, process.env.HYPEREVOLVE_TRIAL_INDEX, 'dir', process.env.HYPEREVOLVE_TRIAL_DIR, 'redis', process.env.REDIS_URL);",
      "writeFileSync(process.env.HYPEREVOLVE_METRICS_FILE, JSON.stringify({ fitness: hyp.lr0 * 10 }));",
    ].join('\n'));
    await h.setCampaignStatus('gen', 'running');
    await h.addTrial({ campaign: 'gen', index: 0, command: [process.execPath, script], adapter: 'generic', hyp: { lr0: 0.02, momentum: 0.9 } });
    h.startWorker(['--device', '2', '--allow-command', `${process.execPath} ${script}`]);

    const [result] = await h.waitForResults(1);
    expect(result).toMatchObject({ outcome: 'succeeded', metrics: null, fitness: 0.2, command: [process.execPath, script] });
    const log = await readFile(result!.logPath, 'utf8');
    expect(log).toContain(`device 2 trial gen 0 dir ${join(h.workdir, 'gen', '0-1')} redis undefined`);
  });

  it('completes jobs of cancelled, done or unknown campaigns without running them', async () => {
    await h.setCampaignStatus('gone', 'cancelled');
    await h.setCampaignStatus('fin', 'done');
    await h.addTrial({ campaign: 'gone', index: 0, command: SIM });
    await h.addTrial({ campaign: 'fin', index: 0, command: SIM });
    await h.addTrial({ campaign: 'nobody', index: 0, command: SIM });
    const worker = h.startWorker();
    await waitFor(async () => {
      const counts = await h.trials.getJobCounts('waiting', 'active', 'failed', 'delayed');
      return Object.values(counts).every((n) => n === 0);
    }, { what: 'the three jobs to be completed' });
    expect(await h.postedResults()).toEqual([]);
    await expect(stat(join(h.workdir, 'gone'))).rejects.toThrow(/ENOENT/);
    expect(worker.output()).toMatch(/campaign \\"gone\\" is cancelled/);
  });

  it('does not run a trial whose hash is already recorded', async () => {
    await h.setCampaignStatus('exp', 'running');
    await h.addTrial({ campaign: 'exp', index: 5, command: SIM });
    await h.addTrialHash('exp', 5, 'succeeded');
    const worker = h.startWorker();
    await worker.waitForOutput(/the trial is already succeeded/);
    expect(await h.postedResults()).toEqual([]);
    expect(await readdir(join(h.workdir, 'exp'))).toEqual([]);
  });

  it('hands back jobs of a paused campaign without counting an attempt, and runs them after resume', async () => {
    await h.setCampaignStatus('exp', 'paused');
    await h.addTrial({ campaign: 'exp', index: 6, command: SIM });
    const worker = h.startWorker();
    await worker.waitForOutput(/campaign is paused/);
    await waitFor(async () => (await h.trials.getJobState(trialJobId('exp', 6))) === 'delayed', { what: 'the job to be delayed' });
    expect((await h.trials.getJob(trialJobId('exp', 6)))?.attemptsMade).toBe(0);
    await h.setCampaignStatus('exp', 'running');
    const [result] = await h.waitForResults(1);
    expect(result).toMatchObject({ index: 6, attempt: 1, runName: '6-1', outcome: 'succeeded' });
  });
});

describe('worker and raw garbage in Redis', () => {
  let h: WorkerHarness;

  beforeEach(async () => {
    h = await WorkerHarness.create(inject('redisUrl'), 'raw');
  });

  afterEach(async () => {
    await h.cleanup();
  });

  it('fails a job whose data is not JSON at all, at once, as bad-payload, and goes on', async () => {
    await h.setCampaignStatus('exp', 'running');
    await h.trials.waitUntilReady();
    const queueKey = `${h.prefix}:{trials}`;
    await h.redis.hset(`${queueKey}:raw-1`, { name: 'trial', data: '{not json', opts: '{"attempts":1}', timestamp: Date.now(), delay: 0, priority: 0 });
    await h.redis.lpush(`${queueKey}:wait`, 'raw-1');
    const worker = h.startWorker();
    await h.addTrial({ campaign: 'exp', index: 0, command: SIM });
    const results = await h.waitForResults(1, (r) => r.index === 0);
    expect(results[0]).toMatchObject({ outcome: 'succeeded' });
    expect(worker.child.exitCode).toBeNull();
    await waitFor(async () => (await h.trials.getJobState('raw-1')) === 'failed', { what: 'the raw job to fail' });
    // Queue.getJob would choke on the data too: read the hash.
    expect(await h.redis.hget(`${queueKey}:raw-1`, 'failedReason')).toMatch(/^bad-payload: job raw-1 is not a valid trial job/);
  });
});
