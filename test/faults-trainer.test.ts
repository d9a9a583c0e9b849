import { readFile, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatG, parseEvolveCsv, YOLOV5_METRIC_NAMES } from '@hyperevolve/ga-core';
import { decideFailure } from '../apps/sim-train/src/fail-mode.js';
import { readCampaign } from './support/campaign-data.js';
import { useClusters } from './support/cluster-fixture.js';
import { processAlive, processesMentioning, statusJson, statusText, waitForStatus } from './support/faults.js';
import { BIN } from './support/processes.js';
import { RANDOM_WORD } from './support/generic-trainer.js';
import { waitFor } from './support/wait-for.js';

/** Short locks so a result or trial of a killed process comes back within seconds. */
const FAULT_ENV = { HYPEREVOLVE_LOCK_MS: '2000', HYPEREVOLVE_STALLED_MS: '1000', HYPEREVOLVE_HOST: 'fault-host' };
const TRAINER = ['--epochs', '2', '--duration-ms', '50'];
const { redis, cluster } = useClusters(FAULT_ENV);

interface FailureCase {
  name: string;
  fail: string;
  kind: string;
  message: RegExp;
  /** --timeout of the campaign, for the hang modes. */
  timeout?: string;
  attempts: number;
}

// One campaign per way a trainer can fail, each with --max-failures 1, so its first trial that
// fails every attempt pauses it: the test ends by itself, and shows the breaker's message too.
const CASES: FailureCase[] = [
  { name: 'exit', fail: 'exit:3', kind: 'exit-code', message: /the trainer exited with code 3; last lines of .*train\.log:\n[\s\S]*exiting with code 3/, attempts: 2 },
  { name: 'signal', fail: 'signal:SIGKILL', kind: 'signal', message: /killed by SIGKILL \(the kernel's out-of-memory killer/, attempts: 2 },
  { name: 'no-results', fail: 'no-results', kind: 'results-missing', message: /exited 0 but wrote no .*\/results\.csv/, attempts: 2 },
  { name: 'garbled', fail: 'garbage', kind: 'results-garbled', message: /results\.csv/, attempts: 2 },
  { name: 'nan', fail: 'nan', kind: 'metrics-nan', message: /is nan/, attempts: 2 },
  { name: 'hang-child', fail: 'hang-with-child', kind: 'timeout', timeout: '3s', message: /ran past the campaign's trial timeout of 3 s; its whole process group was killed/, attempts: 2 },
  // SIGTERM is ignored, so SIGKILL follows 5 s later: one attempt is enough to show it.
  { name: 'hang-stubborn', fail: 'hang-ignore-term', kind: 'timeout', timeout: '3s', message: /timeout of 3 s; its whole process group was killed/, attempts: 1 },
];

describe('trainer failures end to end (scheduler + workers + sim-train)', () => {
  it('each kind is retried with backoff up to --attempts, recorded failed with its reason and log, shown by status, and trips the breaker', { timeout: 420_000 }, async () => {
    const c = await cluster('fail-kinds');
    c.serve();
    const workers = [c.worker(), c.worker()];
    await Promise.all(CASES.map(async (k) => {
      const flags = ['--name', k.name, '--generations', '1', '--attempts', String(k.attempts), '--max-failures', '1', '--seed', '1'];
      if (k.timeout !== undefined) flags.push('--timeout', k.timeout);
      await c.enqueue(flags, [...TRAINER, '--fail', k.fail]);
    }));
    for (const k of CASES) await waitForStatus(redis, c.prefix, k.name, 'paused', 240_000);

    const json = await statusJson(c);
    const text = await statusText(c);
    for (const k of CASES) {
      const view = json.campaigns.find((v) => v.name === k.name);
      expect(view, k.name).toMatchObject({ status: 'paused', recorded: 0, failed: 1 });
      expect(view?.pausedReason, k.name).toMatch(/^circuit breaker: 1 trial failed in a row; .*scheduler resume/);
      const failure = view?.recentFailures[0];
      const runDir = join(c.workdir, k.name, `0-${k.attempts}`);
      expect(failure, k.name).toMatchObject({ index: 0, errorKind: k.kind, logPath: join(runDir, 'train.log'), host: 'fault-host' });
      expect(failure?.error, k.name).toMatch(new RegExp(`^${k.kind}: `));
      expect(failure?.error, k.name).toMatch(k.message);
      expect(failure?.command?.slice(0, 2), k.name).toEqual([process.execPath, BIN.simTrain]);
      // The user sees the reason, the log to read and why the campaign stopped.
      expect(text).toContain(`failed trial 0 on fault-host: ${k.kind}: `);
      expect(text).toContain(`    log ${join(runDir, 'train.log')}\n`);
      await stat(join(runDir, 'train.log'));

      // Recorded failed, with no fitness: never in the population, never a row of evolve.csv.
      const data = await readCampaign(redis, c.prefix, k.name);
      const trial = data.trials[0]!;
      expect(trial.status, k.name).toBe('failed');
      expect(trial.raw.fitness, k.name).toBeUndefined();
      expect(trial.raw.errorKind, k.name).toBe(k.kind);
      expect(Number(trial.raw.attempt), k.name).toBe(k.attempts);
      expect(Number(trial.raw.failedAttempts ?? 0), k.name).toBe(k.attempts - 1);
      expect(data.populationSize, k.name).toBe(0);
      expect(data.rows, k.name).toEqual([]);
      expect(data.state.bestFitness, k.name).toBeUndefined();
      // The export holds no row (an empty file until the first success, as YOLOv5 has none).
      const csv = await readFile(join(c.outDir, k.name, 'evolve.csv'), 'utf8').catch(() => '');
      expect(csv, k.name).toBe('');

      // Each attempt ran in its own directory; the retry waited for the backoff (1 s).
      if (k.attempts === 2) {
        const firstEnded = (await stat(join(c.workdir, k.name, '0-1', 'train.log'))).mtimeMs;
        const secondStarted = (await stat(join(runDir, 'command.txt'))).mtimeMs;
        expect(secondStarted - firstEnded, k.name).toBeGreaterThanOrEqual(900);
      }
    }

    // A timed-out trainer's whole process group is gone, children included.
    for (const name of ['hang-child', 'hang-stubborn']) {
      expect(await processesMentioning(join(c.workdir, name)), name).toEqual([]);
    }
    for (const attempt of [1, 2]) {
      const childPid = Number((await readFile(join(c.workdir, 'hang-child', `0-${attempt}`, 'child.pid'), 'utf8')).trim());
      expect(childPid).toBeGreaterThan(0);
      // SIGKILLed with its group; on a loaded machine it may take a moment to be scheduled and die.
      await waitFor(() => !processAlive(childPid), { timeoutMs: 10_000, what: `child ${childPid} of attempt ${attempt} to be gone` });
    }
    // SIGTERM first (the trainer logged that it ignored it), SIGKILL after.
    expect(await readFile(join(c.workdir, 'hang-stubborn', '0-1', 'train.log'), 'utf8')).toMatch(/ignoring SIGTERM/);
    for (const w of workers) expect(w.child.exitCode, w.output().slice(-2000)).toBeNull();
  });

  it('--fail-rate 0.3, N = 20, --attempts 2: exactly 20 succeed; trials failing both runs are recorded failed, never parents, never rows, and re-issued', { timeout: 420_000 }, async () => {
    // Default locks: nothing is killed here, and a run re-started after a spurious stall on a
    // loaded machine would get another run name, so another fate, than the one computed below.
    const c = await cluster('fail-rate', { HYPEREVOLVE_HOST: 'fault-host' });
    c.serve();
    c.worker();
    c.worker();
    const trainerSeed = 6;
    await c.enqueue(['--name', 'flaky', '--generations', '20', '--attempts', '2', '--seed', '3'], [...TRAINER, '--fail-rate', '0.3', '--seed', String(trainerSeed)]);

    // sim-train decides from (seed, run name <index>-<attempt>), so which trials fail both runs
    // is known in advance: the campaign must issue exactly until 20 have succeeded.
    const expectedFailed: number[] = [];
    const expectedKinds: string[] = [];
    for (let index = 0, succeeded = 0; succeeded < 20; index++) {
      const second = decideFailure({ kind: 'random' }, 0.3, trainerSeed, `${index}-2`);
      if (decideFailure({ kind: 'random' }, 0.3, trainerSeed, `${index}-1`) !== undefined && second !== undefined) {
        expectedFailed.push(index);
        expectedKinds.push(KIND_OF_MODE[second.kind] ?? second.kind);
      } else {
        succeeded++;
      }
    }
    expect(expectedFailed.length).toBeGreaterThanOrEqual(2);

    await waitForStatus(redis, c.prefix, 'flaky', 'done', 300_000);
    const data = await readCampaign(redis, c.prefix, 'flaky');
    const succeeded = data.trials.filter((t) => t.status === 'succeeded');
    const failed = data.trials.filter((t) => t.status === 'failed');
    expect(succeeded).toHaveLength(20);
    expect(Number(data.state.recorded)).toBe(20);
    expect(data.trials).toHaveLength(20 + expectedFailed.length);
    expect(failed.map((t) => t.index)).toEqual(expectedFailed);
    expect(failed.map((t) => t.raw.errorKind)).toEqual(expectedKinds);
    expect(Number(data.state.failed)).toBe(expectedFailed.length);
    expect(data.inflight).toBe(0);

    const failedIds = new Set(failed.map((t) => t.index));
    for (const t of failed) {
      expect(t.raw.fitness, `trial ${t.index}`).toBeUndefined();
      expect(t.raw.failedAttempts, `trial ${t.index}`).toBe('1');
    }
    // Never a row, never in the population, never a parent or in a parent pool.
    expect(data.rows.filter((i) => failedIds.has(i))).toEqual([]);
    expect(data.rows).toHaveLength(20);
    expect(data.populationSize).toBe(20);
    for (const t of data.trials) {
      expect(t.parents.filter((p) => failedIds.has(p)), `parents of ${t.index}`).toEqual([]);
      expect(t.pool.filter((p) => failedIds.has(p)), `pool of ${t.index}`).toEqual([]);
    }
    expect(Number(data.state.bestFitness)).toBe(Math.max(...succeeded.map((t) => t.fitness)));

    const csv = await waitFor(async () => {
      const text = await readFile(join(c.outDir, 'flaky', 'evolve.csv'), 'utf8').catch(() => '');
      return text.trimEnd().split('\n').length === 21 ? text : undefined;
    }, { timeoutMs: 120_000, what: 'evolve.csv with 20 rows' });
    const rows = parseEvolveCsv(csv, YOLOV5_METRIC_NAMES).rows;
    rows.forEach((row, position) => {
      const trial = data.trials[data.rows[position] ?? -1];
      expect(trial?.status).toBe('succeeded');
      expect(formatG(row.hyp.lr0 ?? NaN)).toBe(formatG(trial?.hyp.lr0 ?? NaN));
    });

    const view = (await statusJson(c, 'flaky')).campaigns[0];
    expect(view).toMatchObject({ status: 'done', recorded: 20, budget: 20, failed: expectedFailed.length });
    // In recording order: two workers may finish failed trials out of index order.
    expect(view?.recentFailures.map((f) => f.index).sort((a, b) => a - b)).toEqual(expectedFailed.slice(-5));
    for (const f of view?.recentFailures ?? []) expect(f.logPath).toBe(join(c.workdir, 'flaky', `${f.index}-2`, 'train.log'));
  });

  it('the circuit breaker pauses after 10 failed trials in a row (the default), status says why, and scheduler resume continues', { timeout: 420_000 }, async () => {
    const c = await cluster('breaker');
    // A trainer on a flaky machine (a dataset mount that drops, each time on another file), fixed
    // while the campaign waits. Failures that differ are no signature streak (same-failures.test.ts):
    // the breaker counts them.
    const broken = join(c.dir, 'dataset-missing');
    const trainer = join(c.dir, 'train.mjs');
    await writeFile(broken, '');
    await writeFile(trainer, [
      "import { existsSync, readFileSync, writeFileSync } from 'node:fs';",
      RANDOM_WORD,
      `if (existsSync(${JSON.stringify(broken)})) { console.error(\`FileNotFoundError: \${word}.yaml\`); process.exit(1); }`,
      "const lr0 = Number(/lr0: (\\S+)/.exec(readFileSync(process.env.HYPEREVOLVE_HYP_FILE, 'utf8'))[1]);",
      'writeFileSync(process.env.HYPEREVOLVE_METRICS_FILE, JSON.stringify({ fitness: 1 - Math.abs(lr0 - 0.02) }));',
    ].join('\n'));
    c.serve();
    c.worker();
    c.worker();
    const enqueued = await c.cli(['enqueue', '--name', 'cb', '--generations', '3', '--attempts', '1', '--adapter', 'generic', '--out', c.outDir, '--', process.execPath, trainer]);
    expect(enqueued.code, enqueued.stderr).toBe(0);
    await waitForStatus(redis, c.prefix, 'cb', 'paused', 240_000);

    const reason = /^circuit breaker: 10 trials failed in a row; read their logs \(scheduler status\), fix the command, then scheduler resume$/;
    const view = (await statusJson(c, 'cb')).campaigns[0];
    expect(view?.status).toBe('paused');
    expect(view?.pausedReason).toMatch(reason);
    expect(view?.recorded).toBe(0);
    expect(view?.failed).toBeGreaterThanOrEqual(10);
    expect(view?.recentFailures.at(-1)?.error).toMatch(/^exit-code: the trainer exited with code 1; last lines of .*train\.log:\n.*FileNotFoundError: [g-z]{10}\.yaml/);
    const text = await statusText(c, 'cb');
    expect(text).toMatch(/^cb {2}paused /m);
    expect(text).toContain('  paused: circuit breaker: 10 trials failed in a row;');
    expect(text).toMatch(/failed trial \d+ on fault-host: exit-code: /);

    await rm(broken);
    const resumed = await c.cli(['resume', '--name', 'cb']);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stdout).toMatch(/campaign cb resumed/);
    await waitForStatus(redis, c.prefix, 'cb', 'done', 240_000);
    const data = await readCampaign(redis, c.prefix, 'cb');
    expect(data.trials.filter((t) => t.status === 'succeeded')).toHaveLength(3);
    expect(data.state.consecutiveFailures).toBe('0');
    expect(data.state.pausedReason).toBeUndefined();
    expect(data.inflight).toBe(0);
  });
});

/** What a worker calls each of sim-train's random failure modes. */
const KIND_OF_MODE: Record<string, string> = { exit: 'exit-code', signal: 'signal', garbage: 'results-garbled', nan: 'metrics-nan', 'no-results': 'results-missing' };
