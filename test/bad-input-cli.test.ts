import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { listFiles, snapshotPrefix } from './support/faults.js';
import { startPrivateRedis, type PrivateRedis } from './support/private-redis.js';
import { BIN, FIXTURES, runCli } from './support/processes.js';
import { deletePrefix, uniquePrefix } from './support/redis-prefix.js';

/**
 * Guarantee 5, the CLI half: every kind of bad input gets exit code 2, a message naming the
 * flag, file or variable and how to fix it, no stack trace, and nothing written: no key under
 * the prefix changes (a campaign `exp` exists there, so "unchanged" is checked, not only
 * "empty") and no file appears in the working directory.
 */

const EVOLVE_CSV = await readFile(join(FIXTURES, 'evolve.csv'), 'utf8');
const [CSV_HEADER = '', CSV_ROW = '', ...CSV_REST] = EVOLVE_CSV.split('\n');
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
  /** The tests' Redis, with this database number in the URL. */
  redisDatabase?: number;
  /** Use the password-protected private redis-server, with a wrong password. */
  wrongPassword?: true;
  /** Wall-clock bound (ms) of the whole run, for waits that must be bounded. */
  within?: number;
}

const TRAIN = ['--', 'python', 'train.py', '--epochs', '3'];
const enqueue = (...flags: string[]): string[] => ['enqueue', ...flags, ...TRAIN];

const CASES: Case[] = [
  // CLI flags
  { name: 'unknown flag, with a suggestion', args: enqueue('--generation', '5'), message: /^scheduler: unknown flag --generation; did you mean --generations\? \(.*see scheduler enqueue --help\)$/m },
  { name: 'a training flag before --', args: ['enqueue', '--generations', '5', '--epochs', '3', '--', 'python', 'train.py'], message: /unknown flag --epochs \(flags of the training command go after --/ },
  { name: 'missing value at the end', args: ['enqueue', '--name'], message: /--name needs a value, as in --name <value>/ },
  { name: 'missing value before --', args: ['enqueue', '--generations', ...TRAIN], message: /--generations needs a value, as in --generations <value>/ },
  { name: 'no --generations', args: enqueue(), message: /--generations N is required \(how many trials to run, e\.g\. --generations 300\)/ },
  { name: 'zero generations', args: enqueue('--generations', '0'), message: /--generations: 0 is out of range; expected an integer ≥ 1, e\.g\. --generations 10/ },
  { name: 'negative generations', args: enqueue('--generations', '-5'), message: /--generations: -5 is out of range; expected an integer ≥ 1/ },
  { name: 'fractional generations', args: enqueue('--generations', '2.5'), message: /--generations: "2\.5" is not a whole number; expected an integer ≥ 1/ },
  { name: 'text generations', args: enqueue('--generations', 'ten'), message: /--generations: "ten" is not a whole number/ },
  { name: 'bad --timeout unit', args: enqueue('--generations', '5', '--timeout', '5x'), message: /--timeout: "5x" is not a duration; use e\.g\. 90s, 15m, 2h, 1h30m or 500ms/ },
  { name: 'negative --timeout', args: enqueue('--generations', '5', '--timeout', '-1s'), message: /--timeout: "-1s" is not a duration/ },
  { name: 'zero --timeout', args: enqueue('--generations', '5', '--timeout', '0ms'), message: /--timeout: "0ms" must be longer than 0; use e\.g\. 2h, or none/ },
  { name: 'three fitness weights', args: enqueue('--generations', '5', '--fitness-weights', '1,2,3'), message: /--fitness-weights: "1,2,3" must be 4 comma-separated numbers for precision, recall, mAP@0\.5, mAP@0\.5:0\.95 \(YOLOv5's default: 0,0,0\.1,0\.9\)/ },
  { name: 'text fitness weights', args: enqueue('--generations', '5', '--fitness-weights', 'a,b,c,d'), message: /--fitness-weights: "a,b,c,d" must be 4 comma-separated numbers/ },
  { name: 'negative fitness weight', args: enqueue('--generations', '5', '--fitness-weights', '-1,0,0,1'), message: /--fitness-weights: "-1,0,0,1" must be non-negative with at least one weight > 0/ },
  { name: 'all fitness weights 0', args: enqueue('--generations', '5', '--fitness-weights', '0,0,0,0'), message: /--fitness-weights: "0,0,0,0" must be non-negative with at least one weight > 0/ },
  { name: 'bad --parent', args: enqueue('--generations', '5', '--parent', 'best'), message: /--parent: "best" is not one of single, weighted/ },
  { name: 'bad --adapter', args: enqueue('--generations', '5', '--adapter', 'pytorch'), message: /--adapter: "pytorch" is not one of yolov5, generic/ },
  { name: 'no training command', args: ['enqueue', '--generations', '5'], message: /^scheduler enqueue: no training command; put it after --, e\.g\. scheduler enqueue --generations 100 -- python train\.py/ },
  { name: 'empty training command', args: ['enqueue', '--generations', '5', '--'], message: /the training command after -- is empty, e\.g\. -- python train\.py/ },
  { name: 'zero --attempts', args: enqueue('--generations', '5', '--attempts', '0'), message: /--attempts: 0 is out of range; expected an integer ≥ 1/ },
  { name: 'zero --max-failures', args: enqueue('--generations', '5', '--max-failures', '0'), message: /--max-failures: 0 is out of range; expected an integer ≥ 1/ },
  { name: 'bad campaign name', args: enqueue('--generations', '5', '--name', '../etc'), message: /--name: "\.\.\/etc" is not a valid campaign name: a campaign name is 1–64 letters/ },
  { name: 'a 10,000-character campaign name is cut, not echoed', args: enqueue('--generations', '5', '--name', 'a'.repeat(10_000)), message: /^scheduler: --name: "a{80}…" \(10000 characters\) is not a valid campaign name: a campaign name is 1–64 letters[^\n]{0,200}\n$/ },
  { name: 'control characters in a campaign name are shown escaped', args: enqueue('--generations', '5', '--name', 'x\u001b]0;owned\u0007'), message: /--name: "x\\x1b\]0;owned\\x07" is not a valid campaign name/ },
  { name: 'unknown verb', args: ['enqeue', '--generations', '5'], message: /unknown command "enqeue"; expected one of: serve, enqueue, .*\(see scheduler --help\)/ },
  { name: 'a switch given a value', args: ['status', '--json=yes'], message: /--json is a switch and takes no value; write just --json/ },
  { name: 'serve --http without a port', args: ['serve', '--http', 'localhost'], message: /--http: "localhost" must be HOST:PORT, e\.g\. --http 127\.0\.0\.1:3000/ },
  { name: 'status --interval without --watch', args: ['status', '--interval', '1s'], message: /^scheduler: --interval sets how often --watch redraws; add --watch, or leave --interval out/ },
  { name: 'status --watch --interval 0', args: ['status', '--watch', '--interval', '0'], message: /^scheduler: --interval: 0 is too short to redraw; use 100ms or more/ },
  { name: 'export --out below a file', args: ['export', '--name', 'exp', '--out', 'notes.txt/exported'], files: { 'notes.txt': 'not a directory\n' }, message: /^scheduler: --out \S*\/notes\.txt\/exported: cannot write there \(ENOTDIR: not a directory.*\); choose a directory you may write to/ },
  { name: 'export without --out', args: ['export', '--name', 'exp'], message: /^scheduler (export: )?--out DIR is required \(where evolve\.csv and hyp_evolve\.yaml go\)/ },

  // hyp YAML
  { name: 'hyp: YAML syntax error', files: { 'hyp.yaml': 'lr0: 0.01\n  lrf: [0.1\n' }, args: enqueue('--generations', '5', '--hyp', 'hyp.yaml'), message: /--hyp: .*hyp\.yaml: YAML syntax error on line 2/ },
  { name: 'hyp: non-numeric value', files: { 'hyp.yaml': 'lr0: fast\nlrf: 0.01\n' }, args: enqueue('--generations', '5', '--hyp', 'hyp.yaml'), message: /--hyp: .*hyp\.yaml: hyp "lr0" must be a finite number, got the string "fast"/ },
  { name: 'hyp: infinite value', files: { 'hyp.yaml': 'lr0: .inf\n' }, args: enqueue('--generations', '5', '--hyp', 'hyp.yaml'), message: /hyp "lr0" must be a finite number, got Infinity/ },
  { name: 'hyp: bad key', files: { 'hyp.yaml': 'lr 0: 0.01\n' }, args: enqueue('--generations', '5', '--hyp', 'hyp.yaml'), message: /hyp name "lr 0" is not allowed; use letters, digits/ },
  { name: 'hyp: a list, not a mapping', files: { 'hyp.yaml': '- 0.01\n' }, args: enqueue('--generations', '5', '--hyp', 'hyp.yaml'), message: /expected a mapping of hyp name to number \(like "lr0: 0\.01"\), got a list/ },
  { name: 'hyp: missing file', args: enqueue('--generations', '5', '--hyp', 'nope.yaml'), message: /--hyp: cannot read .*nope\.yaml \(ENOENT\); check the path/ },

  // search space YAML
  { name: 'space: YAML syntax error', files: { 'space.yaml': 'lr0: [1, 0.00001\n' }, args: enqueue('--generations', '5', '--space', 'space.yaml'), message: /--space: Invalid YAML in search space .*space\.yaml at line 2.*Each entry should look like "lr0: \[1, 1\.0e-5, 0\.1\]"/ },
  { name: 'space: entry not a list', files: { 'space.yaml': 'lr0: 0.5\n' }, args: enqueue('--generations', '5', '--space', 'space.yaml'), message: /--space: Invalid search space in .*: hyp "lr0": must be a list \[gain, lower, upper\]/ },
  { name: 'space: two numbers', files: { 'space.yaml': 'lr0: [1, 0.00001]\n' }, args: enqueue('--generations', '5', '--space', 'space.yaml'), message: /hyp "lr0": must be exactly 3 numbers \[gain, lower, upper\]/ },
  { name: 'space: lower above upper', files: { 'space.yaml': 'lr0: [1, 0.1, 0.00001]\n' }, args: enqueue('--generations', '5', '--space', 'space.yaml'), message: /hyp "lr0": lower \(0\.1\) is above upper \(0\.00001\); swap them/ },
  { name: 'space: negative gain', files: { 'space.yaml': 'lr0: [-1, 0.00001, 0.1]\nlrf: [1, 0.01, 1.0]\n' }, args: enqueue('--generations', '5', '--space', 'space.yaml'), message: /hyp "lr0": gain must be ≥ 0 \(0 freezes the hyp\), got -1/ },
  { name: 'space: all gains 0', files: { 'space.yaml': 'lr0: [0, 0.00001, 0.1]\nlrf: [0, 0.01, 1.0]\n' }, args: enqueue('--generations', '5', '--space', 'space.yaml'), message: /every hyp has gain 0: YOLOv5's mutate loop would spin forever; give at least one hyp a gain > 0/ },
  { name: 'space: key not in the base hyp', files: { 'space.yaml': 'lr0: [1, 0.00001, 0.1]\nbogus: [1, 0, 1]\n' }, args: enqueue('--generations', '5', '--space', 'space.yaml'), message: /--space: Search space hyp bogus not in the base hyp; add it to the base hyp file or remove it from the search space/ },

  // evolve.csv import
  { name: 'evolve.csv: ragged row', files: { 'evolve.csv': `${CSV_HEADER}\n${CSV_ROW.split(',').slice(0, 10).join(',')}\n` }, args: enqueue('--generations', '5', '--seed-from', 'evolve.csv'), message: /--seed-from: .*evolve\.csv: line 2 has 10 cells but the header has 36 columns; the row is truncated or has stray commas/ },
  { name: 'evolve.csv: text cell', files: { 'evolve.csv': `${CSV_HEADER}\n${CSV_ROW.replace('0.32383', 'high')}\n` }, args: enqueue('--generations', '5', '--seed-from', 'evolve.csv'), message: /--seed-from: .*: line 2, column "metrics\/precision": "high" is not a number; expected a decimal like 0\.0123 or 1e-05, or nan/ },
  { name: 'evolve.csv: missing metric columns', files: { 'evolve.csv': [CSV_HEADER, CSV_ROW].map((l) => l.split(',').slice(2).join(',')).join('\n') }, args: enqueue('--generations', '5', '--seed-from', 'evolve.csv'), message: /--seed-from: .*: missing metric column\(s\) "metrics\/precision", "metrics\/recall"; an evolve\.csv needs all of/ },
  { name: 'evolve.csv: hyp columns of another hyp file', files: { 'evolve.csv': [CSV_HEADER.replace('                 lr0,', '                lr_0,'), CSV_ROW, ...CSV_REST].join('\n') }, args: enqueue('--generations', '5', '--seed-from', 'evolve.csv'), message: /--seed-from: .* does not match the campaign's hyps: missing hyp columns lr0; columns not in the base hyps lr_0\. Pass the --hyp \(and --space\) the original run used/ },
  { name: 'evolve.csv: import into an existing campaign', args: enqueue('--name', 'exp', '--generations', '2', '--seed-from', join(FIXTURES, 'evolve.csv')), message: /--seed-from: campaign exp exists already; a population can only be imported when a campaign is created \(use a new --name\)/ },
  { name: 'existing campaign, other settings', args: ['enqueue', '--name', 'exp', '--generations', '2', '--attempts', '5', '--', 'python', 'train.py', '--epochs', '4'], message: /campaign exp exists with other settings:\n {2}command: campaign has \["python","train\.py","--epochs","3"\], this enqueue gives \["python","train\.py","--epochs","4"\]\n {2}attempts: campaign has 3, this enqueue gives 5\n[\s\S]*Enqueue with the same settings to add generations, or choose another --name/ },

  // REDIS_URL
  { name: 'REDIS_URL not a URL', redis: 'not a url', args: ['list'], message: /REDIS_URL: "not a url" is not a URL; expected redis:\/\/\[user:password@\]host:port\[\/db\] or rediss:\/\/… for TLS/ },
  { name: 'REDIS_URL wrong scheme', redis: 'http://127.0.0.1:6379', args: ['status'], message: /REDIS_URL: scheme "http:" is not supported; expected redis:\/\/ or rediss:\/\/ \(TLS\)/ },
  { name: '--redis-url with a text database', args: ['list', '--redis-url', 'redis://127.0.0.1:6379/abc'], message: /--redis-url: database "abc" must be a number, as in redis:\/\/host:6379\/0/ },
  { name: 'REDIS_URL unreachable: a bounded wait', redis: 'redis://127.0.0.1:1', args: enqueue('--generations', '5'), within: 120_000, message: /Redis at redis:\/\/127\.0\.0\.1:1 did not answer within 5 s \(.*ECONNREFUSED.*\); check that it runs and that REDIS_URL \(or --redis-url\) points at it/ },
  { name: 'REDIS_URL names a database the server lacks', redisDatabase: 999, args: ['list'], message: /Redis at redis:\/\/.*\/999 has no database 999 \(ERR DB index is out of range\); use a database number below the server's "databases" setting/ },
  { name: 'REDIS_URL wrong password', wrongPassword: true, args: ['status'], message: /Redis at redis:\/\/:\*\*\*@127\.0\.0\.1:\d+\/? refused the credentials \(WRONGPASS.*\); put the right user and password in REDIS_URL/ },

  // worker flags
  { name: 'worker: no allow-list', bin: 'worker', args: ['--device', 'cpu'], message: /no allow-list: this worker would run whatever command a job carries\. Allow the trainer you expect with --allow-command "python train\.py"/ },
  { name: 'worker: no device and no GPU', bin: 'worker', args: ['--allow-command', 'python train.py'], env: { PATH: dirname(process.execPath) }, message: /--device auto: nvidia-smi was not found on PATH.*pass --device cpu/ },
  { name: 'worker: bad --device', bin: 'worker', args: ['--device', 'gpu0', '--allow-command', 'python train.py'], message: /--device: "gpu0" is not a device; expected a GPU index such as 0 or 3, or cpu/ },
  { name: 'worker: bad --grace', bin: 'worker', args: ['--device', 'cpu', '--allow-command', 'python train.py', '--grace', 'soon'], message: /--grace: "soon" is not a duration; use e\.g\. 90s/ },
  { name: 'worker: empty --allow-command', bin: 'worker', args: ['--device', 'cpu', '--allow-command', ' '], message: /--allow-command: an empty prefix would allow every command; give a prefix such as "python train\.py"/ },
  { name: 'worker: unknown flag', bin: 'worker', args: ['--device', 'cpu', '--allow-command', 'python train.py', '--gpus', '2'], message: /unknown flag --gpus.*see worker --help/ },
  { name: 'worker: REDIS_URL wrong scheme', bin: 'worker', redis: 'https://redis.example:6379', args: ['--device', 'cpu', '--allow-command', 'python train.py'], message: /REDIS_URL: scheme "https:" is not supported; expected redis:\/\/ or rediss:\/\// },
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
  it('has at least 30 cases', () => {
    expect(CASES.length).toBeGreaterThanOrEqual(30);
  });

  it.concurrent.for(CASES)('$name', { timeout: 240_000 }, async (c) => {
    const cwd = await mkdtemp(join(tmpdir(), 'hyperevolve-bad-case-'));
    try {
      for (const [name, text] of Object.entries(c.files ?? {})) await writeFile(join(cwd, name), text);
      const filesBefore = await listFiles(cwd);
      const url = c.wrongPassword === true
        ? locked.url.replace(encodeURIComponent(PASSWORD), 'not-the-password')
        : c.redisDatabase === undefined ? (c.redis ?? redisUrl) : withDatabase(redisUrl, c.redisDatabase);
      const env = { REDIS_URL: url, HYPEREVOLVE_PREFIX: prefix, HYPEREVOLVE_ALLOW_COMMANDS: '', HYPEREVOLVE_CONNECT_TIMEOUT_MS: '5000', ...c.env };
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
      expect(created.stdout).toMatch(/created campaign exp[^\n]*\nwarning: hyps degrees/);
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
