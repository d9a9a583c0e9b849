/**
 * `npm run demo`: a complete evolution on this machine's CPU with the simulated trainer.
 * Uses REDIS_CLUSTER_NODES (a Redis Cluster), else REDIS_URL, else Redis on 127.0.0.1:6379, else
 * starts a private redis-server.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { campaignKeys } from '@hyperevolve/contract';
import { prepareDemoOut } from './demo-out.js';
import { redisAnswers as answers, describeRedisTarget, openRedisClient, parseClusterNodes, scanKeys, type RedisTarget } from '@hyperevolve/runtime';

const ROOT = resolve(import.meta.dirname, '..');
const BIN = {
  scheduler: join(ROOT, 'apps/scheduler/bin/scheduler.js'),
  worker: join(ROOT, 'apps/worker/bin/worker.js'),
  simTrain: join(ROOT, 'apps/sim-train/bin/sim-train.js'),
};

/** The demo's own output directory (ignored by git), replaced by each run. */
const DEFAULT_OUT = 'runs/demo';

function fail(message: string): never {
  process.stderr.write(`demo: ${message}\n`);
  process.exit(2);
}

function options(): { generations: number; workers: number; out: string; durationMs: number } {
  let parsed;
  try {
    parsed = parseArgs({
      options: {
        generations: { type: 'string', default: '30' },
        workers: { type: 'string', default: '2' },
        out: { type: 'string', default: DEFAULT_OUT },
        'duration-ms': { type: 'string', default: '3000' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
    });
  } catch (error) {
    fail(`${(error as Error).message}; usage: npm run demo -- [--generations 30] [--workers 2] [--out runs/demo] [--duration-ms 3000]`);
  }
  if (parsed.values.help === true) {
    process.stdout.write('Usage: npm run demo -- [--generations 30] [--workers 2] [--out runs/demo] [--duration-ms 3000]\n');
    process.exit(0);
  }
  const int = (name: string, value: string, min: number): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < min) fail(`--${name} must be a whole number ≥ ${min}, got "${value}"`);
    return n;
  };
  return {
    generations: int('generations', parsed.values.generations, 1),
    workers: int('workers', parsed.values.workers, 1),
    out: resolve(parsed.values.out),
    durationMs: int('duration-ms', parsed.values['duration-ms'], 1),
  };
}

interface FoundRedis {
  target: RedisTarget | string;
  /** What the demo's processes get, so they reach the same Redis. */
  env: Record<string, string>;
  cleanup: () => Promise<void>;
}

async function findRedis(): Promise<FoundRedis> {
  const nodes = process.env.REDIS_CLUSTER_NODES;
  if (nodes !== undefined && nodes.trim() !== '') {
    const target = parseClusterNodes(nodes, 'REDIS_CLUSTER_NODES');
    if (await answers(target)) return { target, env: { REDIS_CLUSTER_NODES: nodes, REDIS_URL: '' }, cleanup: () => Promise.resolve() };
    fail(`REDIS_CLUSTER_NODES: the cluster at ${describeRedisTarget(target)} does not answer; start it or unset REDIS_CLUSTER_NODES`);
  }
  const found = await findOneRedis();
  return { target: found.url, env: { REDIS_URL: found.url }, cleanup: found.cleanup };
}

async function findOneRedis(): Promise<{ url: string; cleanup: () => Promise<void> }> {
  const fromEnv = process.env.REDIS_URL;
  if (fromEnv !== undefined && fromEnv !== '') {
    if (await answers(fromEnv)) return { url: fromEnv, cleanup: () => Promise.resolve() };
    fail(`REDIS_URL=${fromEnv.replace(/\/\/[^@]*@/, '//***@')} does not answer; start Redis there or unset REDIS_URL`);
  }
  if (await answers('redis://127.0.0.1:6379')) return { url: 'redis://127.0.0.1:6379', cleanup: () => Promise.resolve() };
  const dir = await mkdtemp(join(tmpdir(), 'hyperevolve-demo-redis-'));
  const port = 20_000 + Math.floor(Math.random() * 20_000);
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
  const spawnError = await new Promise<Error | null>((done) => {
    child.once('error', done);
    setTimeout(() => done(null), 300);
  });
  if (spawnError !== null) fail('no Redis answers on 127.0.0.1:6379 and redis-server is not on PATH; install Redis (apt-get install redis-server) or set REDIS_URL');
  const url = `redis://127.0.0.1:${port}`;
  for (let i = 0; i < 50 && !(await answers(url)); i++) await new Promise((r) => setTimeout(r, 100));
  process.stdout.write(`started a private redis-server on port ${port}\n`);
  return {
    url,
    cleanup: async () => {
      child.kill('SIGTERM');
      await rm(dir, { recursive: true, force: true });
    },
  };
}

async function main(): Promise<void> {
  const opts = options();
  const children: ChildProcess[] = [];
  const stopAll = (): void => {
    for (const child of children) if (child.exitCode === null) child.kill('SIGTERM');
  };
  process.on('SIGINT', () => {
    stopAll();
    process.exit(130);
  });
  const redisInfo = await findRedis();
  // Only once Redis answers: a demo that cannot run leaves the previous one's files.
  const prepared = await prepareDemoOut(opts.out, opts.out === resolve(DEFAULT_OUT)).catch(async (error: unknown) => {
    await redisInfo.cleanup();
    return fail((error as Error).message);
  });
  if (prepared === 'replaced') process.stdout.write(`replacing the files of the previous demo in ${opts.out}\n`);
  const prefix = `hyperevolve-demo-${randomBytes(3).toString('hex')}`;
  const env = { ...process.env, ...redisInfo.env, HYPEREVOLVE_PREFIX: prefix };
  const logDir = join(opts.out, 'logs', 'demo');
  const { mkdir, open } = await import('node:fs/promises');
  await mkdir(logDir, { recursive: true });
  const start = async (name: string, bin: string, args: string[]): Promise<void> => {
    const log = await open(join(logDir, `${name}.log`), 'w');
    const child = spawn(process.execPath, [bin, ...args], { env, stdio: ['ignore', log.fd, log.fd] });
    child.once('exit', () => void log.close());
    children.push(child);
  };

  process.stdout.write(`hyperevolve demo: ${opts.generations} generations on ${opts.workers} CPU workers with sim-train (prefix ${prefix})\n`);
  await start('scheduler', BIN.scheduler, ['serve']);
  for (let i = 0; i < opts.workers; i++) {
    await start(`worker-${i}`, BIN.worker, ['--device', 'cpu', '--workdir', join(opts.out, 'trials'), '--allow-command', process.execPath]);
  }
  const enqueue = spawn(process.execPath, [
    BIN.scheduler, 'enqueue', '--name', 'demo', '--generations', String(opts.generations), '--seed', '1', '--out', opts.out,
    '--', process.execPath, BIN.simTrain, '--epochs', '3', '--duration-ms', String(opts.durationMs),
  ], { env, stdio: ['ignore', 'inherit', 'inherit'] });
  const code = await new Promise<number | null>((done) => enqueue.once('exit', done));
  if (code !== 0) {
    stopAll();
    fail(`scheduler enqueue exited with ${code}; see above`);
  }

  const redis = openRedisClient(redisInfo.target);
  const keys = campaignKeys(prefix, 'demo');
  const began = Date.now();
  let lastShown = -1;
  for (;;) {
    const state = await redis.hgetall(keys.state);
    const recorded = Number(state.recorded ?? 0);
    const best = state.bestFitness === undefined ? '-' : Number(state.bestFitness).toFixed(5);
    const line = `  ${recorded}/${opts.generations} trials  best fitness ${best}  failed ${state.failed ?? 0}  ${Math.round((Date.now() - began) / 1000)}s`;
    if (process.stdout.isTTY) process.stdout.write(`\r${line}   `);
    else if (recorded !== lastShown) process.stdout.write(`${line}\n`);
    lastShown = recorded;
    if (state.status === 'done') break;
    if (state.status === 'paused') {
      process.stdout.write(`\ncampaign paused: ${state.pausedReason ?? ''}\n`);
      break;
    }
    if (Date.now() - began > 10 * 60_000) {
      process.stdout.write('\ndemo did not finish within 10 minutes; see the logs\n');
      break;
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  const state = await redis.hgetall(keys.state);
  // Let the scheduler write the final files, then stop everything cleanly (a stopping serve
  // draws the final evolve.png before it exits).
  for (let i = 0; i < 40 && Number((await redis.hget(keys.state, 'exportedRows')) ?? 0) < Number(state.recorded ?? 0); i++) {
    await new Promise((r) => setTimeout(r, 100));
  }
  stopAll();
  await Promise.all(children.map((c) => (c.exitCode === null ? new Promise((r) => c.once('exit', r)) : Promise.resolve())));
  // One key per UNLINK: on a cluster, the prefix's keys live in many slots.
  await Promise.all((await scanKeys(redis, `${prefix}:*`)).map((key) => redis.unlink(key)));
  await redis.quit();
  await redisInfo.cleanup();
  process.stdout.write(
    `\n\nbest fitness ${Number(state.bestFitness).toFixed(5)} (trial ${state.bestTrial})\n` +
      `  ${join(opts.out, 'demo', 'evolve.csv')}\n  ${join(opts.out, 'demo', 'hyp_evolve.yaml')}\n  ${join(opts.out, 'demo', 'evolve.png')}\n` +
      `  trial directories (hyp.yaml, command.txt, train.log): ${join(opts.out, 'trials', 'demo')}\n  process logs: ${logDir}\n`,
  );
}

await main();
