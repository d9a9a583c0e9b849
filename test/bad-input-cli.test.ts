import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Redis } from 'ioredis';
import { TRAINER_NAMES } from '@hyperevolve/ga-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { listFiles, snapshotPrefix } from './support/faults.js';
import { startPrivateRedis, type PrivateRedis } from './support/private-redis.js';
import { BIN, FIXTURES, runCli } from './support/processes.js';
import { deletePrefix, uniquePrefix } from './support/redis-prefix.js';

/**
 * Guarantee 5, the CLI half, as real processes: bad input gets exit code 2, a message naming the
 * flag, file or variable and how to fix it, no stack trace, and nothing written: no key under
 * the prefix changes (a campaign `exp` exists there, so "unchanged" is checked, not only
 * "empty") and no file appears in the working directory.
 */

const PASSWORD = 'battery-secret-7f3a';

interface Case {
  name: string;
  args: readonly string[];
  /** A regex over stderr: the flag/file/variable named, and the fix. */
  message: RegExp;
  bin?: 'scheduler' | 'worker';
  /** Files created in the working directory before the run. */
  files?: Record<string, string>;
  env?: Record<string, string>;
  /** REDIS_URL for the run (default: the tests' Redis). */
  redis?: string;
  /** REDIS_CLUSTER_NODES for the run, instead of REDIS_URL. */
  cluster?: string;
  /** The tests' Redis, with this database number in the URL. */
  redisDatabase?: number;
  /** Use the password-protected private redis-server, with a wrong password. */
  wrongPassword?: true;
  /** Wall-clock bound (ms) of the whole run, for waits that must be bounded. */
  within?: number;
}

const TRAIN = ['--', 'python', 'train.py', '--epochs', '3'];
const enqueue = (...flags: string[]): string[] => ['enqueue', ...flags, ...TRAIN];

/**
 * A handful of cases run as real processes: what only a process shows (the exit code, the
 * "scheduler:" prefix, no stack trace) and what needs a Redis. Every other misuse of a flag or a
 * file is a unit test of the config loader: apps/scheduler/src/config.test.ts,
 * apps/scheduler/src/campaign/enqueue-inputs.test.ts and apps/worker/src/config.test.ts.
 */
const CASES: Case[] = [
  // The CLI's own output: prefix, hint, exit code.
  { name: 'unknown flag, with a suggestion', args: enqueue('--generation', '5'), message: /^scheduler: unknown flag --generation; did you mean --generations\? \(.*see scheduler enqueue --help\)$/m },
  { name: 'a message that names its verb is not prefixed twice', args: ['enqueue', '--generations', '5'], message: /^scheduler enqueue: no training command; put it after --/ },
  { name: '--out naming a file', files: { afile: 'x' }, args: enqueue('--generations', '5', '--out', 'afile'), message: /^scheduler: --out .*\/afile: .*\/afile is a file, not a directory; --out names a directory \(made if missing\) that receives exp\/evolve\.csv/m },
  { name: 'hyp: YAML syntax error', files: { 'hyp.yaml': 'lr0: 0.01\n  lrf: [0.1\n' }, args: enqueue('--generations', '5', '--hyp', 'hyp.yaml'), message: /^scheduler: --hyp: .*hyp\.yaml: YAML syntax error on line 2/ },
  { name: 'a 10,000-character campaign name is cut, not echoed', args: enqueue('--generations', '5', '--name', 'a'.repeat(10_000)), message: /^scheduler: --name: "a{80}…" \(10000 characters\) is not a valid campaign name: a campaign name is 1–64 letters[^\n]{0,200}\n$/ },
  { name: 'export --out below a file', args: ['export', '--name', 'exp', '--out', 'notes.txt/exported'], files: { 'notes.txt': 'not a directory\n' }, message: /^scheduler: --out \S*\/notes\.txt\/exported: cannot write there \(ENOTDIR: not a directory.*\); choose a directory you may write to/ },

  { name: 'a misspelt --adapter, with the registered ones', args: enqueue('--generations', '5', '--adapter', 'yolo5'), message: new RegExp(`^scheduler: --adapter: "yolo5" is not one of ${TRAINER_NAMES.join(', ')}$`, 'm') },
  { name: 'an adapter param the profile does not take, with those it does', args: ['enqueue', '--generations', '5', '--adapter-param', 'metric=m.json', '--', 'python', 'fit.py'], message: /^scheduler: --adapter-param: adapter generic has no param "metric"\. adapter generic takes metrics \(.*; default metrics\.json\), progress \(.*; default progress\.jsonl\)$/m },
  { name: 'a prune param the rule does not take', args: enqueue('--generations', '5', '--full-trials', '--prune', 'asha', '--prune-param', 'etaa=4'), message: /^scheduler: --prune-param: prune asha has no param "etaa"\. prune asha takes rungs \(.*; default .*\), eta \(a number > 1.*; default 3\), window \(a whole number ≥ 5.*; default 16\)$/m },

  // What needs a Redis.
  { name: 'evolve.csv: import into an existing campaign', args: enqueue('--name', 'exp', '--generations', '2', '--seed-from', join(FIXTURES, 'evolve.csv')), message: /--seed-from: campaign exp exists already; a population can only be imported when a campaign is created \(use a new --name\)/ },
  { name: 'existing campaign, other settings', args: ['enqueue', '--name', 'exp', '--generations', '2', '--attempts', '5', '--', 'python', 'train.py', '--epochs', '4'], message: /campaign exp exists with other settings:\n {2}command: campaign has \["python","train\.py","--epochs","3"\], this enqueue gives \["python","train\.py","--epochs","4"\]\n {2}attempts: campaign has 3, this enqueue gives 5\n[\s\S]*Enqueue with the same settings to add generations, or choose another --name/ },
  { name: 'REDIS_URL unreachable: a bounded wait', redis: 'redis://127.0.0.1:1', args: enqueue('--generations', '5'), within: 120_000, message: /Redis at redis:\/\/127\.0\.0\.1:1 did not answer within 5 s \(.*ECONNREFUSED.*\); check that it runs and that REDIS_URL \(or --redis-url\) points at it/ },
  { name: 'REDIS_CLUSTER_NODES unreachable: a bounded wait', cluster: '127.0.0.1:1,127.0.0.1:2', args: ['status'], within: 120_000, message: /Redis at cluster redis:\/\/127\.0\.0\.1:1,127\.0\.0\.1:2 did not answer within 5 s.*; check that it runs and that REDIS_CLUSTER_NODES \(or --redis-cluster\) points at it/ },
  { name: 'REDIS_URL names a database the server lacks', redisDatabase: 999, args: ['list'], message: /Redis at redis:\/\/.*\/999 has no database 999 \(ERR DB index is out of range\); use a database number below the server's "databases" setting/ },
  { name: 'REDIS_URL wrong password', wrongPassword: true, args: ['status'], message: /Redis at redis:\/\/:\*\*\*@127\.0\.0\.1:\d+\/? refused the credentials \(WRONGPASS.*\); put the right user and password in REDIS_URL/ },

  // The worker's own output.
  { name: 'worker: no allow-list', bin: 'worker', args: ['--device', 'cpu'], message: /^worker: no allow-list: this worker would run whatever command a job carries\. Allow the trainer you expect with --allow-command "python train\.py"/ },
  { name: 'worker: no device and no GPU', bin: 'worker', args: ['--allow-command', 'python train.py'], env: { PATH: dirname(process.execPath) }, message: /--device auto: nvidia-smi was not found on PATH.*pass --device cpu/ },
];

const redisUrl = inject('redisUrl');
const prefix = uniquePrefix('bad-input');
let redis: Redis;
let locked: PrivateRedis;
let fixtureDir: string;
let before: Map<string, string>;

beforeAll(async () => {
  redis = new Redis(redisUrl);
  locked = await startPrivateRedis({ password: PASSWORD });
  fixtureDir = await mkdtemp(join(tmpdir(), 'hyperevolve-bad-input-'));
  const created = await runCli(BIN.scheduler, ['enqueue', '--name', 'exp', '--generations', '2', '--seed', '1', '--out', join(fixtureDir, 'out'), ...TRAIN], { REDIS_URL: redisUrl, HYPEREVOLVE_PREFIX: prefix });
  expect(created.code, created.stderr).toBe(0);
  before = await snapshotPrefix(redis, prefix);
});

afterAll(async () => {
  // Every case ran; none may have touched the keys, even one that ran beside another.
  expect(await snapshotPrefix(redis, prefix)).toEqual(before);
  await deletePrefix(redis, prefix);
  redis.disconnect();
  await locked.stop();
  await rm(fixtureDir, { recursive: true, force: true });
});

/** At most this many case processes at once: each is a Node start, and the machine is shared. */
const PARALLEL = 3;
let running = 0;
const queue: (() => void)[] = [];
async function slot<T>(task: () => Promise<T>): Promise<T> {
  if (running >= PARALLEL) await new Promise<void>((resolve) => queue.push(resolve));
  running += 1;
  try {
    return await task();
  } finally {
    running -= 1;
    queue.shift()?.();
  }
}

async function run(bin: string, args: readonly string[], env: Record<string, string>, cwd: string, limitMs: number): Promise<{ code: number | null; stdout: string; stderr: string; ms: number }> {
  const started = Date.now();
  const child = spawn(process.execPath, [bin, ...args], { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  // A case that wrongly starts a long-lived process must not hang the suite.
  const timer = setTimeout(() => child.kill('SIGKILL'), limitMs);
  const code = await new Promise<number | null>((resolve) => child.once('exit', (c) => resolve(c)));
  clearTimeout(timer);
  return { code, stdout, stderr, ms: Date.now() - started };
}

describe('bad input on the command line: exit 2, a message that names the field and the fix, nothing written', () => {
  it.concurrent.for(CASES)('$name', { timeout: 240_000 }, async (c) => {
    const cwd = await mkdtemp(join(tmpdir(), 'hyperevolve-bad-case-'));
    try {
      for (const [name, text] of Object.entries(c.files ?? {})) await writeFile(join(cwd, name), text);
      const filesBefore = await listFiles(cwd);
      const url = c.wrongPassword === true
        ? locked.url.replace(encodeURIComponent(PASSWORD), 'not-the-password')
        : c.redisDatabase === undefined ? (c.redis ?? redisUrl) : withDatabase(redisUrl, c.redisDatabase);
      const redisEnv: Record<string, string> = c.cluster === undefined ? { REDIS_URL: url } : { REDIS_URL: '', REDIS_CLUSTER_NODES: c.cluster };
      const env = { ...redisEnv, HYPEREVOLVE_PREFIX: prefix, HYPEREVOLVE_ALLOW_COMMANDS: '', HYPEREVOLVE_CONNECT_TIMEOUT_MS: '5000', ...c.env };
      const result = await slot(() => run(c.bin === 'worker' ? BIN.worker : BIN.scheduler, c.args, env, cwd, c.within ?? 90_000));
      const output = `${result.stdout}${result.stderr}`;
      expect(result.code, output).toBe(2);
      expect(result.stderr).toMatch(c.message);
      expect(result.stderr, 'no stack trace').not.toMatch(/\n\s+at /);
      expect(output).not.toMatch(/created campaign|budget now/);
      expect(output).not.toContain('not-the-password');
      if (c.within !== undefined) expect(result.ms).toBeLessThan(c.within);
      expect(await listFiles(cwd), 'no file written').toEqual(filesBefore);
      expect(await snapshotPrefix(redis, prefix), 'no key written or changed').toEqual(before);
    } finally {
      await rm(cwd, { recursive: true, force: true });
    }
  });
});

describe('bad input that is only warned about', () => {
  // YOLOv5 clips every hyp to its range before training, the first generation included; so a
  // base value outside the space is not an error: the user is told, and the first candidate
  // trains the clipped value.
  it('a base hyp outside its search range: exit 0, a warning naming the hyp, the range and the value used', async () => {
    const own = uniquePrefix('bad-input-warn');
    const cwd = await mkdtemp(join(tmpdir(), 'hyperevolve-bad-case-'));
    try {
      const low = await readFile(join(FIXTURES, 'hyp.scratch-low.yaml'), 'utf8');
      await writeFile(join(cwd, 'hyp.yaml'), low.replace(/^lr0: .*$/m, 'lr0: 0.5'));
      const result = await runCli(BIN.scheduler, ['enqueue', '--generations', '1', '--hyp', 'hyp.yaml', '--out', 'out', ...TRAIN], { REDIS_URL: redisUrl, HYPEREVOLVE_PREFIX: own }, cwd);
      expect(result.code, result.stderr).toBe(0);
      expect(result.stdout).toContain('warning: hyp lr0 = 0.5 is outside its search range [0.00001, 0.1]; the first candidate uses 0.1\n');
      expect(result.stdout).toMatch(/created campaign exp/);
    } finally {
      await deletePrefix(redis, own);
      await rm(cwd, { recursive: true, force: true });
    }
  });

  it('the zero-hyps warning: once, when a campaign is created; not on a later enqueue, a failed one, with --quiet, nor in a preview of the defaults', async () => {
    const own = uniquePrefix('bad-input-zero');
    const cwd = await mkdtemp(join(tmpdir(), 'hyperevolve-bad-case-'));
    const env = { REDIS_URL: redisUrl, HYPEREVOLVE_PREFIX: own };
    const stuck = /warning: hyps degrees, shear, flipud, mixup, copy_paste start at 0/;
    try {
      const created = await runCli(BIN.scheduler, ['enqueue', '--generations', '1', '--out', 'out', ...TRAIN], env, cwd);
      expect(created.code, created.stderr).toBe(0);
      // After the created line, with what else creation says (since 6eb14c0 the keep-artifacts line comes between).
      expect(created.stdout).toMatch(/created campaign exp[^\n]*\n(?:[^\n]*\n)*?warning: hyps degrees/);
      expect(created.stdout.match(new RegExp(stuck.source, 'g'))).toHaveLength(1);

      const extended = await runCli(BIN.scheduler, ['enqueue', '--generations', '1', '--out', 'out', ...TRAIN], env, cwd);
      expect(extended.code, extended.stderr).toBe(0);
      expect(extended.stdout).toMatch(/budget now 2 generations/);
      expect(extended.stdout + extended.stderr).not.toMatch(stuck);

      const refused = await runCli(BIN.scheduler, ['enqueue', '--generations', '1', '--out', 'out', '--seed', '99', ...TRAIN], env, cwd);
      expect(refused.code).toBe(2);
      expect(refused.stdout + refused.stderr).not.toMatch(stuck);

      const quiet = await runCli(BIN.scheduler, ['enqueue', '--name', 'q', '--quiet', '--generations', '1', '--out', 'out', ...TRAIN], env, cwd);
      expect(quiet.code, quiet.stderr).toBe(0);
      expect(quiet.stdout).toMatch(/created campaign q/);
      expect(quiet.stdout + quiet.stderr).not.toMatch(/warning/);

      const preview = await runCli(BIN.scheduler, ['preview', '--population', join(FIXTURES, 'evolve.csv'), '--count', '1'], {}, cwd);
      expect(preview.code, preview.stderr).toBe(0);
      expect(preview.stderr).not.toMatch(/warning/);
      await writeFile(join(cwd, 'hyp.yaml'), await readFile(join(FIXTURES, 'hyp.scratch-low.yaml'), 'utf8'));
      const own = await runCli(BIN.scheduler, ['preview', '--population', join(FIXTURES, 'evolve.csv'), '--count', '1', '--hyp', 'hyp.yaml'], {}, cwd);
      expect(own.code, own.stderr).toBe(0);
      expect(own.stderr).toMatch(stuck);
      const ownQuiet = await runCli(BIN.scheduler, ['preview', '--population', join(FIXTURES, 'evolve.csv'), '--count', '1', '--hyp', 'hyp.yaml', '-q'], {}, cwd);
      expect(ownQuiet.stderr).not.toMatch(/warning/);
      const failed = await runCli(BIN.scheduler, ['preview', '--population', 'missing.csv', '--hyp', 'hyp.yaml'], {}, cwd);
      expect(failed.code).toBe(2);
      expect(failed.stderr).not.toMatch(/warning/);
    } finally {
      await deletePrefix(redis, own);
      await rm(cwd, { recursive: true, force: true });
    }
  });
});

function withDatabase(url: string, db: number): string {
  const parsed = new URL(url);
  parsed.pathname = `/${db}`;
  return parsed.toString();
}
