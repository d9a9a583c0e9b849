import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { redisAnswers } from '@hyperevolve/runtime';
import { waitFor } from './wait-for.js';

export interface PrivateRedisOptions {
  appendOnly?: boolean;
  password?: string;
  port?: number;
}

export interface PrivateRedis {
  url: string;
  port: number;
  dir: string;
  /** The redis-server process now running (changes after restart). */
  process(): ChildProcess;
  kill(signal?: NodeJS.Signals): Promise<void>;
  /** Starts redis-server again on the same port and data directory. */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      if (address === null || typeof address === 'string') return reject(new Error('no port'));
      server.close(() => resolve(address.port));
    });
  });
}

/** A redis-server of a test's own, on a free port with a temp dir (for restarts, AOF, passwords). */
export async function startPrivateRedis(options: PrivateRedisOptions = {}): Promise<PrivateRedis> {
  const port = options.port ?? (await freePort());
  const dir = await mkdtemp(join(tmpdir(), 'hyperevolve-redis-'));
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--daemonize', 'no'];
  args.push('--appendonly', options.appendOnly === true ? 'yes' : 'no');
  if (options.appendOnly === true) args.push('--appendfsync', 'always');
  if (options.password !== undefined) args.push('--requirepass', options.password);
  const auth = options.password === undefined ? '' : `:${encodeURIComponent(options.password)}@`;
  const url = `redis://${auth}127.0.0.1:${port}`;
  let child: ChildProcess;

  const launch = async (): Promise<void> => {
    child = spawn('redis-server', args, { stdio: 'ignore' });
    await waitFor(() => redisAnswers(url), { timeoutMs: 10_000, what: `private redis-server on port ${port}` });
  };
  const kill = async (signal: NodeJS.Signals = 'SIGKILL'): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill(signal);
    await exited;
  };
  await launch();
  return {
    url,
    port,
    dir,
    process: () => child,
    kill,
    restart: launch,
    stop: async () => {
      await kill('SIGKILL');
      await rm(dir, { recursive: true, force: true });
    },
  };
}
