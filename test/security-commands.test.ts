import { spawnSync } from 'node:child_process';
import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import { describe, expect, it } from 'vitest';
import { campaignKeys, TRIALS_QUEUE, trialJobId } from '@hyperevolve/contract';
import { readCampaign } from './support/campaign-data.js';
import { useClusters } from './support/cluster-fixture.js';
import { statusJson, statusText, waitForStatus } from './support/faults.js';
import { BIN } from './support/processes.js';
import { waitFor } from './support/wait-for.js';

/**
 * Guarantee 6: a worker runs only commands its own allow-list permits, hands the argv to the
 * kernel without a shell, and writes only validated hyp numbers into files, whatever a job in
 * Redis says.
 */

const FAULT_ENV = { HYPEREVOLVE_LOCK_MS: '2000', HYPEREVOLVE_STALLED_MS: '1000', HYPEREVOLVE_HOST: 'sec-host' };
const SIM_PREFIX = `${process.execPath} ${BIN.simTrain}`;
const { redis, cluster } = useClusters(FAULT_ENV);

async function exists(path: string): Promise<boolean> {
  return stat(path).then(() => true, () => false);
}

describe('security: allow-listed commands, no shell, validated hyps', () => {
  it('a job injected into Redis with another command fails once, unrecoverably, with its reason in status; the trainer never runs', { timeout: 420_000 }, async () => {
    const c = await cluster('sec-allow');
    c.serve();
    // Only sim-train may run here (the Cluster's own worker allows any node script).
    const worker = c.group.spawn('worker-strict', BIN.worker, ['--device', 'cpu', '--workdir', c.workdir, '--allow-command', SIM_PREFIX], c.env);
    await c.enqueue(['--name', 'exp', '--generations', '4', '--seed', '1']);
    await waitFor(async () => Number(await redis.hget(campaignKeys(c.prefix, 'exp').state, 'recorded')) >= 1, { timeoutMs: 240_000, what: 'a first trial' });

    // What someone with write access to Redis could do: a trial of the running campaign whose
    // command is their own.
    const marker = join(c.dir, 'pwned');
    const keys = campaignKeys(c.prefix, 'exp');
    await redis.hset(keys.trial(900), { index: 900, status: 'queued', hyp: '{"lr0":0.01}' });
    const trials = new Queue(TRIALS_QUEUE, { connection: redis, prefix: c.prefix });
    try {
      await trials.add('trial', {
        v: 1, campaign: 'exp', index: 900, hyp: { lr0: 0.01 }, adapter: 'generic', timeoutMs: null, fastTrials: true,
        command: [process.execPath, '-e', `require("fs").writeFileSync(${JSON.stringify(marker)}, "x")`],
      }, { jobId: trialJobId('exp', 900), attempts: 3, backoff: { type: 'fixed', delay: 100 }, removeOnFail: false });
      await waitFor(async () => (await trials.getJobState(trialJobId('exp', 900))) === 'failed', { timeoutMs: 180_000, what: 'the injected job to fail' });
      const job = await trials.getJob(trialJobId('exp', 900));
      expect(job?.attemptsMade).toBe(1);
      expect(job?.failedReason).toMatch(/^command-not-allowed: the worker sec-host:\d+:cpu does not allow the command ".*-e require.*"; allowed prefixes: ".*sim-train\.js"\. Start the worker with --allow-command "<prefix>" for it$/);
    } finally {
      await trials.close();
    }
    await waitFor(async () => (await redis.hget(keys.trial(900), 'status')) === 'failed', { timeoutMs: 180_000, what: 'the injected trial to be recorded failed' });
    expect(await exists(marker)).toBe(false);
    expect(await exists(join(c.workdir, 'exp', '900-1'))).toBe(false);

    const view = (await statusJson(c, 'exp')).campaigns[0];
    const failure = view?.recentFailures.find((f) => f.index === 900);
    expect(failure).toMatchObject({ errorKind: 'command-not-allowed', host: 'sec-host' });
    expect(failure?.error).toMatch(/^command-not-allowed: the worker .* does not allow the command/);
    expect(await statusText(c, 'exp')).toMatch(/failed trial 900 on sec-host: command-not-allowed: /);

    // The worker goes on with the campaign's own trials.
    await waitForStatus(redis, c.prefix, 'exp', 'done', 240_000);
    expect(worker.child.exitCode).toBeNull();
    const data = await readCampaign(redis, c.prefix, 'exp');
    expect(data.trials.filter((t) => t.status === 'succeeded')).toHaveLength(4);
  });

  it('no shell anywhere: shell syntax in the command reaches the trainer verbatim and nothing of it runs', { timeout: 420_000 }, async () => {
    const c = await cluster('sec-shell');
    const pwned = (n: number): string => join(c.dir, `pwned-${n}`);
    const hostile = [
      `$(touch ${pwned(1)})`,
      `; touch ${pwned(2)}`,
      `\`touch ${pwned(3)}\``,
      `&& touch ${pwned(4)}`,
      `| tee ${pwned(5)}`,
      `> ${pwned(6)}`,
      `'quoted' "double" \\back`,
      'two words',
      '*',
      '$HOME',
      '\n touch newline',
    ];
    const trainer = join(c.dir, 'argv-echo.mjs');
    await writeFile(trainer, [
      "import { writeFileSync } from 'node:fs';",
      "import { join } from 'node:path';",
      "writeFileSync(join(process.env.HYPEREVOLVE_TRIAL_DIR, 'argv.json'), JSON.stringify(process.argv.slice(2)));",
      'writeFileSync(process.env.HYPEREVOLVE_METRICS_FILE, JSON.stringify({ fitness: 0.5 }));',
    ].join('\n'));
    c.serve();
    c.group.spawn('worker-strict', BIN.worker, ['--device', 'cpu', '--workdir', c.workdir, '--allow-command', `${process.execPath} ${trainer}`], c.env);
    const result = await c.cli(['enqueue', '--name', 'shell', '--generations', '1', '--adapter', 'generic', '--out', c.outDir, '--', process.execPath, trainer, ...hostile]);
    expect(result.code, result.stderr).toBe(0);
    await waitForStatus(redis, c.prefix, 'shell', 'done', 240_000);

    const runDir = join(c.workdir, 'shell', '0-1');
    expect(JSON.parse(await readFile(join(runDir, 'argv.json'), 'utf8'))).toEqual(hostile);
    for (let n = 1; n <= 6; n++) expect(await exists(pwned(n)), pwned(n)).toBe(false);
    const data = await readCampaign(redis, c.prefix, 'shell');
    expect(JSON.parse(data.trials[0]?.raw.command ?? '[]')).toEqual([process.execPath, trainer, ...hostile]);
    // command.txt quotes the argv for a shell, so a user can paste it and get the same argv:
    // a real bash parses it (set --, nothing executed) back into exactly that argv, and none
    // of the hostile parts runs while it does.
    const parsed = spawnSync('bash', ['-c', 'eval "set -- $(cat "$1")"; printf "%s\\0" "$@"', 'bash', join(runDir, 'command.txt')], { encoding: 'utf8' });
    expect(parsed.status, parsed.stderr).toBe(0);
    expect(parsed.stdout.split('\0').slice(0, -1)).toEqual([process.execPath, trainer, ...hostile]);
    for (let n = 1; n <= 6; n++) expect(await exists(pwned(n)), pwned(n)).toBe(false);
  });

  it('hyp values and names from a job are validated before any file is written', { timeout: 420_000 }, async () => {
    const c = await cluster('sec-hyp');
    const worker = c.worker();
    await redis.hset(campaignKeys(c.prefix, 'exp').state, { status: 'running', budget: 10, nextIndex: 10, recorded: 0 });
    const trials = new Queue(TRIALS_QUEUE, { connection: redis, prefix: c.prefix });
    const base = { v: 1, campaign: 'exp', adapter: 'yolov5', timeoutMs: null, fastTrials: true, command: [process.execPath, BIN.simTrain] };
    const bad: Record<number, unknown> = {
      1: { lr0: '0.01\nevil: 1' },
      2: { 'lr0: 0.01\nevil': 0.01 },
      3: { lr0: null },
      4: { lr0: 0.01, momentum: '0.9' },
      5: ['lr0', 0.01],
    };
    try {
      for (const [index, hyp] of Object.entries(bad)) {
        await redis.hset(campaignKeys(c.prefix, 'exp').trial(Number(index)), { index, status: 'queued', hyp: '{}' });
        await trials.add('trial', { ...base, index: Number(index), hyp }, { jobId: trialJobId('exp', Number(index)), attempts: 3 });
      }
      await waitFor(async () => (await trials.getJobCounts('failed')).failed === 5, { timeoutMs: 180_000, what: 'the five jobs to fail' });
      for (const index of Object.keys(bad)) {
        const job = await trials.getJob(trialJobId('exp', Number(index)));
        expect(job?.attemptsMade, `job ${index}`).toBe(1);
        expect(job?.failedReason, `job ${index}`).toMatch(/^bad-payload: job exp#\d+ is not a valid trial job \(data\.hyp/);
      }
    } finally {
      await trials.close();
    }
    // Refused before the trial directory, let alone hyp.yaml, exists.
    expect(await readdir(join(c.workdir, 'exp')).catch(() => [])).toEqual([]);
    expect(worker.child.exitCode).toBeNull();
  });
});
