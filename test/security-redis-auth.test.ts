import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import { redisAnswers } from '@hyperevolve/runtime';
import { readCampaign } from './support/campaign-data.js';
import { Cluster } from './support/cluster.js';
import { listFiles, waitForStatus } from './support/faults.js';
import { freePort, startPrivateRedis, type PrivateRedis } from './support/private-redis.js';
import type { CliResult } from './support/processes.js';
import { uniquePrefix } from './support/redis-prefix.js';
import { waitFor } from './support/wait-for.js';

/**
 * Redis with a password, an ACL user and TLS, end to end for `scheduler serve`, workers and
 * the CLI verbs, and the passwords never printed: not in a log line, not in `status` (text or
 * JSON), not in an error message, not in a file the run leaves, not in a trainer's environment.
 */

// Characters a URL must encode, so redaction is tested on the encoded and the plain form.
const DEFAULT_PASSWORD = 'Def4ult/pw:%hunter2';
const ACL_PASSWORD = 'Acl-user@pw#swordfish';
const SECRETS = [DEFAULT_PASSWORD, ACL_PASSWORD, encodeURIComponent(DEFAULT_PASSWORD), encodeURIComponent(ACL_PASSWORD), 'hunter2', 'swordfish'];

const FAULT_ENV = { HYPEREVOLVE_LOCK_MS: '2000', HYPEREVOLVE_STALLED_MS: '1000', HYPEREVOLVE_LOG_LEVEL: 'debug', HYPEREVOLVE_CONNECT_TIMEOUT_MS: '3000' };

let cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const step of cleanup.reverse()) await step();
  cleanup = [];
});

/** A generic trainer that prints its whole environment and argv into train.log. */
async function envDumpTrainer(dir: string): Promise<string> {
  const path = join(dir, 'env-dump.mjs');
  await writeFile(path, [
    "import { readFileSync, writeFileSync } from 'node:fs';",
    'console.log(JSON.stringify({ env: process.env, argv: process.argv }));',
    "const lr0 = Number(/lr0: (\\S+)/.exec(readFileSync(process.env.HYPEREVOLVE_HYP_FILE, 'utf8'))[1]);",
    'writeFileSync(process.env.HYPEREVOLVE_METRICS_FILE, JSON.stringify({ fitness: 1 - Math.abs(lr0 - 0.02) }));',
  ].join('\n'));
  return path;
}

function expectNoSecret(where: string, text: string): void {
  for (const secret of SECRETS) expect(text.includes(secret), `${where} contains a password (${secret.slice(0, 3)}…):\n${text.slice(0, 3000)}`).toBe(false);
}

describe('Redis credentials end to end', () => {
  it('requirepass, an ACL user limited to the prefix, and user:pass@ URLs work for serve, workers and every CLI verb; no password is ever printed', { timeout: 420_000 }, async () => {
    const server: PrivateRedis = await startPrivateRedis({ password: DEFAULT_PASSWORD });
    cleanup.push(() => server.stop());
    const prefix = uniquePrefix('auth');
    const admin = new Redis(server.url);
    cleanup.push(() => Promise.resolve(admin.disconnect()));
    // The ACL user may touch nothing but this installation's keys: everything we (and BullMQ)
    // store lives under the prefix.
    await admin.call('ACL', 'SETUSER', 'hyper', 'on', `>${ACL_PASSWORD}`, `~${prefix}:*`, '&*', '+@all', '-@dangerous', '+info', '+client');
    const defaultUrl = server.url;
    const userUrl = `redis://hyper:${encodeURIComponent(ACL_PASSWORD)}@127.0.0.1:${server.port}`;

    const c = await Cluster.create({ redisUrl: userUrl, prefix, env: FAULT_ENV });
    cleanup.push(async () => {
      await c.stop();
      await rm(c.dir, { recursive: true, force: true });
    });
    const trainer = await envDumpTrainer(c.dir);
    const serve = c.serve();
    // One worker with the default user's password in REDIS_URL, one with the ACL user on the flag.
    const w1 = c.worker(['--device', 'cpu'], { REDIS_URL: defaultUrl });
    const w2 = c.worker(['--device', 'cpu', '--redis-url', userUrl], { REDIS_URL: '' });

    const outputs: [string, CliResult][] = [];
    const cli = async (args: string[], env: Record<string, string> = {}): Promise<CliResult> => {
      const result = await c.cli(args, env);
      outputs.push([args.join(' '), result]);
      return result;
    };
    const enqueued = await cli(['enqueue', '--name', 'sec', '--generations', '4', '--seed', '3', '--adapter', 'generic', '--out', c.outDir, '--', process.execPath, trainer]);
    expect(enqueued.code, enqueued.stderr).toBe(0);
    await waitForStatus(admin, prefix, 'sec', 'done', 120_000);
    const data = await readCampaign(admin, prefix, 'sec');
    expect(data.trials.filter((t) => t.status === 'succeeded')).toHaveLength(4);
    expect(new Set(data.trials.map((t) => t.raw.worker)).size).toBeGreaterThanOrEqual(1);

    // Every verb, with the ACL user (the Cluster's REDIS_URL), the default user, and the flag.
    const verbs = [['status'], ['status', '--json'], ['list'], ['list', '--json'], ['best', '--name', 'sec'], ['export', '--name', 'sec', '--out', join(c.dir, 'exported')]];
    for (const [args, result] of await Promise.all(verbs.map(async (args) => [args, await cli(args)] as const))) {
      expect(result.code, `${args.join(' ')}: ${result.stderr}`).toBe(0);
    }
    const [asDefault, asFlag] = await Promise.all([cli(['status', '--json'], { REDIS_URL: defaultUrl }), cli(['status', '--redis-url', userUrl], { REDIS_URL: '' })]);
    expect(asDefault.code, asDefault.stderr).toBe(0);
    expect(asFlag.code, asFlag.stderr).toBe(0);
    const json = JSON.parse(outputs.find(([args]) => args === 'status --json')?.[1].stdout ?? '{}') as { campaigns: { name: string; recorded: number }[] };
    expect(json.campaigns[0]).toMatchObject({ name: 'sec', recorded: 4 });

    // Refused credentials: exit 2 and a message with the password redacted.
    const [wrong, none, away, badUrl] = await Promise.all([
      cli(['status'], { REDIS_URL: `redis://hyper:wrong-${encodeURIComponent(ACL_PASSWORD)}@127.0.0.1:${server.port}` }),
      cli(['status'], { REDIS_URL: `redis://127.0.0.1:${server.port}` }),
      cli(['status'], { REDIS_URL: `redis://:${encodeURIComponent(DEFAULT_PASSWORD)}@127.0.0.1:1` }),
      cli(['status'], { REDIS_URL: `redis//:${DEFAULT_PASSWORD}@nowhere` }),
    ]);
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toMatch(/Redis at redis:\/\/hyper:\*\*\*@127\.0\.0\.1:\d+\/? refused the credentials \(WRONGPASS/);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/refused the credentials \(NOAUTH.*\); put the right user and password in REDIS_URL/);
    expect(away.code).toBe(2);
    expect(away.stderr).toMatch(/Redis at redis:\/\/:\*\*\*@127\.0\.0\.1:1\/? did not answer/);
    expect(badUrl.code).toBe(2);
    expect(badUrl.stderr).toMatch(/REDIS_URL: "redis\/\/\*\*\*@nowhere" is not a URL/);

    // The trainers saw no Redis URL; nothing anywhere shows a password.
    const trainLogs = data.trials.map((t) => t.raw.logPath ?? '');
    for (const path of trainLogs) {
      const log = await readFile(path, 'utf8');
      expect(log).toMatch(/"HYPEREVOLVE_HYP_FILE"/);
      expect(log).not.toMatch(/REDIS_URL|redis:\/\//);
    }
    for (const p of [serve, w1, w2]) expectNoSecret(p.name, p.output());
    expect(serve.output()).toMatch(/scheduler serving/);
    for (const [args, result] of outputs) expectNoSecret(`scheduler ${args}`, `${result.stdout}${result.stderr}`);
    for (const file of await listFiles(c.dir)) {
      if (file.endsWith('.png')) continue;
      expectNoSecret(file, await readFile(join(c.dir, file), 'utf8'));
    }
    const hashes = await Promise.all(data.trials.map((t) => admin.hgetall(`${prefix}:c:{sec}:trial:${t.index}`)));
    expectNoSecret('trial hashes', JSON.stringify(hashes));
  });

  it('rediss:// (TLS, with a password) works for serve, a worker and the CLI', { timeout: 300_000 }, async (ctx) => {
    const dir = await mkdtemp(join(tmpdir(), 'hyperevolve-tls-'));
    cleanup.push(() => rm(dir, { recursive: true, force: true }));
    try {
      makeCertificates(dir);
    } catch (error) {
      ctx.skip(`openssl could not make test certificates here (${String(error).slice(0, 200)}); rediss:// is not tested`);
    }
    const started = await startTlsRedis(dir, DEFAULT_PASSWORD);
    if (typeof started === 'string') return ctx.skip(`redis-server has no TLS support here (${started}); rediss:// is not tested`);
    cleanup.push(started.stop);
    const url = `rediss://:${encodeURIComponent(DEFAULT_PASSWORD)}@localhost:${started.port}`;
    const prefix = uniquePrefix('tls');
    // Node trusts the test CA the way a user would add their own: NODE_EXTRA_CA_CERTS.
    const c = await Cluster.create({ redisUrl: url, prefix, env: { ...FAULT_ENV, NODE_EXTRA_CA_CERTS: join(dir, 'ca.pem') } });
    cleanup.push(async () => {
      await c.stop();
      await rm(c.dir, { recursive: true, force: true });
    });
    const serve = c.serve();
    const worker = c.worker();
    await c.enqueue(['--name', 'tls', '--generations', '3', '--seed', '5'], ['--epochs', '2', '--duration-ms', '50']);
    const admin = new Redis(url, { tls: { ca: await readFile(join(dir, 'ca.pem')) } });
    cleanup.push(() => Promise.resolve(admin.disconnect()));
    await waitForStatus(admin, prefix, 'tls', 'done', 120_000);
    const status = await c.cli(['status', '--json']);
    expect(status.code, status.stderr).toBe(0);
    expect((JSON.parse(status.stdout) as { campaigns: { recorded: number }[] }).campaigns[0]?.recorded).toBe(3);
    // A plain redis:// client gets no answer from a TLS port: a bounded wait and a clear message.
    const plain = await c.cli(['status'], { REDIS_URL: url.replace('rediss://', 'redis://'), HYPEREVOLVE_CONNECT_TIMEOUT_MS: '2000' });
    expect(plain.code).toBe(2);
    expect(plain.stderr).toMatch(/did not answer|refused|closed/);
    for (const [name, text] of [['serve', serve.output()], ['worker', worker.output()], ['status', status.stdout + status.stderr], ['plain', plain.stdout + plain.stderr]] as const) {
      expectNoSecret(name, text);
    }
  });
});

function makeCertificates(dir: string): void {
  const run = (args: string[]): void => {
    execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
  };
  run(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', '/CN=hyperevolve test CA', '-keyout', 'ca.key', '-out', 'ca.pem']);
  run(['req', '-newkey', 'rsa:2048', '-nodes', '-subj', '/CN=localhost', '-keyout', 'server.key', '-out', 'server.csr']);
  execFileSync('sh', ['-c', 'printf "subjectAltName=DNS:localhost,IP:127.0.0.1\\n" > san.ext'], { cwd: dir });
  run(['x509', '-req', '-in', 'server.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-days', '2', '-out', 'server.pem', '-extfile', 'san.ext']);
}

/** redis-server on a TLS port only; returns why not when this build has no TLS. */
async function startTlsRedis(dir: string, password: string): Promise<{ port: number; stop: () => Promise<void> } | string> {
  const port = await freePort();
  let stderr = '';
  const child: ChildProcess = spawn('redis-server', [
    '--port', '0', '--tls-port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--appendonly', 'no',
    '--tls-cert-file', join(dir, 'server.pem'), '--tls-key-file', join(dir, 'server.key'), '--tls-ca-cert-file', join(dir, 'ca.pem'),
    '--tls-auth-clients', 'no', '--requirepass', password,
  ], { stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const ca = await readFile(join(dir, 'ca.pem'));
  const url = `rediss://:${encodeURIComponent(password)}@localhost:${port}`;
  try {
    await waitFor(async () => {
      if (child.exitCode !== null) throw new Error('exited');
      return redisAnswers(url, 1500, { tls: { ca } });
    }, { timeoutMs: 10_000, what: 'the TLS redis-server' });
  } catch {
    child.kill('SIGKILL');
    return stderr.split('\n').find((line) => /tls|TLS/.test(line))?.trim() ?? (stderr.trim().slice(-200) || 'it did not answer');
  }
  return {
    port,
    stop: async () => {
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGKILL');
      await exited;
    },
  };
}
