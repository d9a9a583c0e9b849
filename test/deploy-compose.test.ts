import { spawnSync } from 'node:child_process';
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { load } from 'js-yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseDuration } from '@hyperevolve/runtime';
import { ROOT } from './support/processes.js';

/**
 * docker-compose.yml and docker-compose.worker.yml, validated by Debian's docker-compose (1.29,
 * which needs no Docker engine for `config`) and then read back resolved: what `docker compose
 * up --scale worker=8` on a GPU machine depends on.
 */

const COMPOSE = spawnSync('docker-compose', ['version'], { stdio: 'ignore' }).status === 0;
const CI = process.env.CI === 'true' || process.env.CI === '1';
const SKIP = !COMPOSE && !CI;
if (SKIP) process.stderr.write('deploy-compose: docker-compose is not installed, so the compose files are not validated (apt-get install docker-compose; under CI this fails)\n');

/** Variables the compose files read: unset, so the files' defaults are what is checked. */
const COMPOSE_VARIABLES = /^(REDIS_|HYPEREVOLVE_|TRAIN_REPO$|DATASETS_DIR$|RUNS_DIR$|DASHBOARD_PORT$|WORKER_BASE_IMAGE$|ULTRALYTICS_BASE_IMAGE$|COMPOSE_)/;

interface Resolved {
  code: number | null;
  stderr: string;
  config: ComposeConfig;
}

interface Service {
  image?: string;
  build?: { context: string; target?: string; args?: Record<string, string> };
  command?: string[];
  environment?: Record<string, string>;
  ports?: string[];
  volumes?: string[];
  container_name?: string;
  hostname?: string;
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test: string[] };
  deploy?: { resources?: { reservations?: { devices?: unknown[] } } };
  working_dir?: string;
  stop_grace_period?: string;
}

interface ComposeConfig {
  services: Record<string, Service>;
  volumes?: Record<string, unknown>;
}

/** @param file one compose file, or several: later ones override earlier ones, as `-f a -f b` does. */
function resolve(file: string | readonly string[], env: Record<string, string> = {}): Resolved {
  const base = Object.fromEntries(Object.entries(process.env).filter(([key]) => !COMPOSE_VARIABLES.test(key)));
  const files = (typeof file === 'string' ? [file] : file).flatMap((name) => ['-f', name]);
  const result = spawnSync('docker-compose', [...files, 'config'], { cwd: ROOT, env: { ...base, ...env }, encoding: 'utf8' });
  return { code: result.status, stderr: result.stderr, config: (result.status === 0 ? load(result.stdout) : { services: {} }) as ComposeConfig };
}

function validate(file: string, env: Record<string, string> = {}): { code: number | null; stderr: string } {
  const base = Object.fromEntries(Object.entries(process.env).filter(([key]) => !COMPOSE_VARIABLES.test(key)));
  const result = spawnSync('docker-compose', ['-f', file, 'config', '-q'], { cwd: ROOT, env: { ...base, ...env }, encoding: 'utf8' });
  return { code: result.status, stderr: result.stderr };
}

let resolvedDefaults: Resolved | undefined;
/** docker-compose.yml resolved with none of its variables set (docker-compose takes a second or two to start). */
function defaults(): Resolved {
  resolvedDefaults ??= resolve('docker-compose.yml');
  return resolvedDefaults;
}

function volumeTargets(service: Service): string[] {
  return (service.volumes ?? []).map((volume) => volume.split(':')[1] ?? '');
}

/** What makes a worker service right for `--scale worker=N` on a GPU machine, on YOLOv5's image. */
function expectScalableGpuWorker(worker: Service | undefined): void {
  expectScalableWorker(worker);
  expect(worker?.build).toMatchObject({ target: 'worker', args: { WORKER_BASE_IMAGE: 'ultralytics/yolov5:latest' } });
  expect(worker?.command?.join(' ')).toMatch(/--allow-command python train\.py/);
}

/** The same, whatever training image it is built on. */
function expectScalableWorker(worker: Service | undefined): void {
  expect(worker).toBeDefined();
  expect(worker?.container_name).toBeUndefined();
  expect(worker?.hostname).toBeUndefined();
  expect(worker?.ports).toBeUndefined();
  expect(worker?.command?.slice(0, 2)).toEqual(['--device', 'auto']);
  expect(worker?.deploy?.resources?.reservations?.devices).toEqual([{ driver: 'nvidia', count: 'all', capabilities: ['gpu'] }]);
  expect(volumeTargets(worker!)).toEqual(expect.arrayContaining(['/usr/src/app', '/usr/src/datasets', '/data/runs']));
  expect(worker?.command).toEqual(expect.arrayContaining(['--workdir', '/data/runs/trials']));
  expect(worker?.working_dir).toBe('/usr/src/app');
  expectFinishingStop(worker!);
}

/**
 * `docker compose stop` lets the running trial finish for the worker's --grace
 * (HYPEREVOLVE_GRACE), and Docker's SIGKILL (stop_grace_period) comes minutes after it, so a trial
 * still running then is handed back rather than cut off with its worker.
 */
function expectFinishingStop(worker: Service): void {
  const grace = parseDuration(worker.environment?.HYPEREVOLVE_GRACE ?? '0', 'HYPEREVOLVE_GRACE');
  const kill = parseDuration(worker.stop_grace_period ?? '10s', 'stop_grace_period');
  expect(grace).toBeGreaterThanOrEqual(30 * 60_000);
  expect(kill - grace).toBeGreaterThanOrEqual(2 * 60_000);
}

describe.skipIf(SKIP)(`compose files${SKIP ? ' (skipped: docker-compose is not installed; apt-get install docker-compose)' : ''}`, () => {
  beforeAll(() => {
    if (!COMPOSE) throw new Error('docker-compose is not installed, and CI is set: .ci/run installs it (apt-get install docker-compose); the compose files cannot be validated without it');
  });

  it('docker-compose.yml validates and has redis (AOF, volume, health check), scheduler and a scalable GPU worker', () => {
    expect(validate('docker-compose.yml')).toMatchObject({ code: 0 });
    const { config, code, stderr } = defaults();
    expect(code, stderr).toBe(0);
    expect(Object.keys(config.services).sort()).toEqual(['redis', 'scheduler', 'worker']);

    const { redis, scheduler, worker } = config.services;
    expect(redis?.image).toMatch(/^redis:7/);
    expect(redis?.command?.join(' ')).toMatch(/redis-server --appendonly yes .*--maxmemory-policy noeviction/);
    // Trial hashes (values up to ~1 KB: hyps, metrics, paths) stay listpack-encoded: ~40 % less memory per trial.
    expect(redis?.command?.join(' ')).toMatch(/--hash-max-listpack-value 1024/);
    expect(redis?.volumes).toEqual(expect.arrayContaining([expect.stringMatching(/^redis-data:\/data(:rw)?$/)]));
    expect(config.volumes).toHaveProperty('redis-data');
    expect(redis?.healthcheck?.test).toEqual(['CMD', 'redis-cli', 'ping']);
    expect(redis?.ports).toEqual([expect.stringMatching(/^127\.0\.0\.1:6379:6379(\/tcp)?$/)]);

    expect(scheduler?.build?.target).toBe('scheduler');
    expect(scheduler?.command).toEqual(['serve', '--http', '0.0.0.0:3000', '--http-public-read']);
    expect(scheduler?.ports).toEqual([expect.stringMatching(/^127\.0\.0\.1:3000:3000(\/tcp)?$/)]);
    expect(scheduler?.environment).toMatchObject({ REDIS_URL: 'redis://redis:6379', HYPEREVOLVE_HTTP_TOKEN: '' });
    expect(scheduler?.depends_on).toEqual({ redis: { condition: 'service_healthy' } });
    expect(volumeTargets(scheduler!)).toContain('/data/runs');
    // The training repo, read-only, where enqueue's --hyp/--space/--seed-from files can be found.
    expect(scheduler?.volumes).toEqual(expect.arrayContaining([expect.stringMatching(/:\/usr\/src\/app:ro$/)]));
    expect(worker?.environment?.CUDA_DEVICE_ORDER).toBe('PCI_BUS_ID');

    expectScalableGpuWorker(worker);
    expect(worker?.environment?.REDIS_URL).toBe('redis://redis:6379');
    expect(worker?.depends_on).toEqual({ redis: { condition: 'service_healthy' } });
  });

  it('docker-compose.yml takes REDIS_URL, the Redis password and the base image from the environment', () => {
    const { config } = resolve('docker-compose.yml', {
      REDIS_URL: 'redis://:s3cret-pw@redis:6379',
      REDIS_PASSWORD: 's3cret-pw',
      WORKER_BASE_IMAGE: 'my/train:cuda12',
      TRAIN_REPO: '/srv/yolov5',
    });
    expect(config.services.redis?.environment).toMatchObject({ REDIS_PASSWORD: 's3cret-pw', REDISCLI_AUTH: 's3cret-pw' });
    expect(config.services.worker?.environment?.REDIS_URL).toBe('redis://:s3cret-pw@redis:6379');
    expect(config.services.scheduler?.environment?.REDIS_URL).toBe('redis://:s3cret-pw@redis:6379');
    expect(config.services.worker?.build?.args?.WORKER_BASE_IMAGE).toBe('my/train:cuda12');
    expect(config.services.worker?.volumes).toContain('/srv/yolov5:/usr/src/app:rw');
  });

  it('docker-compose.ultralytics.yml turns either file\'s worker into an Ultralytics one: its image, `yolo` allowed', () => {
    for (const [main, env] of [['docker-compose.yml', {}], ['docker-compose.worker.yml', { REDIS_URL: 'rediss://:pw@main-host:6380' }]] as const) {
      const { config, code, stderr } = resolve([main, 'docker-compose.ultralytics.yml'], env);
      expect(code, stderr).toBe(0);
      const worker = config.services.worker;
      expectScalableWorker(worker);
      expect(worker?.build).toMatchObject({ target: 'worker', args: { WORKER_BASE_IMAGE: 'ultralytics/ultralytics:latest' } });
      expect(worker?.image).toBe('hyperevolve-worker-ultralytics:latest');
      expect(worker?.command).toEqual(['--device', 'auto', '--allow-command', 'yolo', '--workdir', '/data/runs/trials']);
      expect(worker?.environment?.CUDA_DEVICE_ORDER).toBe('PCI_BUS_ID');
    }
    const pinned = resolve(['docker-compose.yml', 'docker-compose.ultralytics.yml'], { ULTRALYTICS_BASE_IMAGE: 'ultralytics/ultralytics:8.4.190' });
    expect(pinned.config.services.worker?.build?.args?.WORKER_BASE_IMAGE).toBe('ultralytics/ultralytics:8.4.190');
  });

  describe('the redis start script', () => {
    let bin: string;

    beforeAll(async () => {
      bin = await mkdtemp(join(tmpdir(), 'hyperevolve-compose-'));
      await writeFile(join(bin, 'redis-server'), '#!/bin/sh\necho "redis-server $*"\n');
      await chmod(join(bin, 'redis-server'), 0o755);
    });

    afterAll(async () => {
      await rm(bin, { recursive: true, force: true });
    });

    /** Runs the redis service's `sh -c` script (as the container would) against a stand-in redis-server. */
    function start(env: Record<string, string>) {
      const command = defaults().config.services.redis?.command ?? [];
      expect(command.slice(0, 2)).toEqual(['sh', '-c']);
      const script = (command[2] ?? '').replaceAll('$$', '$');
      return spawnSync('sh', ['-c', script], { env: { PATH: `${bin}:/usr/bin:/bin`, ...env }, encoding: 'utf8' });
    }

    it('starts without a password on loopback, refuses to publish beyond it without one', () => {
      const local = start({ REDIS_BIND: '127.0.0.1', REDIS_PASSWORD: '' });
      expect(local.status).toBe(0);
      expect(local.stdout).toMatch(/^redis-server --appendonly yes .* --requirepass $/m);

      const exposed = start({ REDIS_BIND: '0.0.0.0', REDIS_PASSWORD: '' });
      expect(exposed.status).toBe(1);
      expect(exposed.stderr).toMatch(/refusing to publish Redis on 0\.0\.0\.0 without a password: set REDIS_PASSWORD/);

      const guarded = start({ REDIS_BIND: '10.0.0.5', REDIS_PASSWORD: 'long-random-password' });
      expect(guarded.status).toBe(0);
      expect(guarded.stdout).toMatch(/--requirepass long-random-password$/m);
    });
  });

  it('docker-compose.worker.yml needs REDIS_URL, and is the same scalable GPU worker without local services', () => {
    const missing = validate('docker-compose.worker.yml');
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toMatch(/set REDIS_URL to the main machine's Redis, e\.g\. rediss:\/\//);

    expect(validate('docker-compose.worker.yml', { REDIS_URL: 'rediss://:pw@main-host:6380' })).toMatchObject({ code: 0 });
    const { config } = resolve('docker-compose.worker.yml', { REDIS_URL: 'rediss://:pw@main-host:6380' });
    expect(Object.keys(config.services)).toEqual(['worker']);
    expectScalableGpuWorker(config.services.worker);
    expect(config.services.worker?.environment?.REDIS_URL).toBe('rediss://:pw@main-host:6380');
    expect(config.services.worker?.depends_on).toBeUndefined();
  });
});

/** Dockerfile instructions with continuation lines joined and comments dropped. */
function instructions(text: string): { op: string; args: string }[] {
  return text
    .replace(/\\\r?\n/g, ' ')
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map((line) => {
      const [op = '', ...rest] = line.split(/\s+/);
      return { op: op.toUpperCase(), args: rest.join(' ') };
    });
}

describe('Dockerfile', () => {
  let steps: { op: string; args: string }[];
  let stages: { name: string; from: string; steps: { op: string; args: string }[] }[];

  beforeAll(async () => {
    steps = instructions(await readFile(join(ROOT, 'Dockerfile'), 'utf8'));
    stages = [];
    for (const step of steps) {
      if (step.op === 'FROM') {
        const match = /^(\S+)\s+AS\s+(\S+)$/i.exec(step.args);
        expect(match, `every stage is named: FROM ${step.args}`).not.toBeNull();
        stages.push({ from: match![1]!, name: match![2]!, steps: [] });
      } else {
        stages.at(-1)?.steps.push(step);
      }
    }
  });

  const stage = (name: string) => {
    const found = stages.find((candidate) => candidate.name === name);
    expect(found, `a stage named ${name}`).toBeDefined();
    return found!;
  };
  const run = (name: string) => stage(name).steps.filter((step) => step.op === 'RUN').map((step) => step.args).join(' && ');

  it('builds in a build stage: npm ci, then the esbuild bundles, with every workspace manifest copied first', async () => {
    const build = stage('build');
    expect(build.from).toBe('node:${NODE_VERSION}-bookworm');
    expect(run('build')).toMatch(/npm ci\b/);
    expect(run('build')).toMatch(/node scripts\/build\.mjs/);
    const workspaces = (JSON.parse(await readFile(join(ROOT, 'package.json'), 'utf8')) as { workspaces: string[] }).workspaces;
    const copies = build.steps.filter((step) => step.op === 'COPY').map((step) => step.args);
    for (const workspace of workspaces) expect(copies).toContain(`${workspace}/package.json ${workspace}/`);
  });

  it('builds both images on the Node.js major CI tests (.ci/node-version.sh), inside engines.node', async () => {
    const args = steps.slice(0, steps.findIndex((step) => step.op === 'FROM')).filter((step) => step.op === 'ARG').map((step) => step.args);
    const major = args.map((arg) => /^NODE_VERSION=(\d+)$/.exec(arg)?.[1]).find((value) => value !== undefined);
    const tested = /^HYPEREVOLVE_NODE_VERSION=(\d+)\.\d+\.\d+$/m.exec(await readFile(join(ROOT, '.ci/node-version.sh'), 'utf8'))?.[1];
    expect(major, 'ARG NODE_VERSION=<major> before the first FROM').toBeDefined();
    expect(major).toBe(tested);
    const engines = (JSON.parse(await readFile(join(ROOT, 'package.json'), 'utf8')) as { engines: { node: string } }).engines.node;
    expect(Number(major)).toBeGreaterThanOrEqual(Number(/^>=(\d+)/.exec(engines)?.[1]));
    expect(stage('node-runtime').from).toBe('node:${NODE_VERSION}-bookworm-slim');
    // The worker image runs the node binary of that same stage (the training image's own Node, if any, is not used).
    expect(stage('worker').steps).toContainEqual({ op: 'COPY', args: '--from=node-runtime /usr/local/bin/node /usr/local/bin/node' });
    // The bins check the Node version first (scripts/require-node.mjs, imported by launch.mjs).
    expect(run('dist')).toMatch(/cp scripts\/launch\.mjs scripts\/require-node\.mjs \/out\/scripts\//);
  });

  it('has a slim scheduler target and a worker target on a base image given as a build argument, with Node copied in', () => {
    const globalArgs = steps.slice(0, steps.findIndex((step) => step.op === 'FROM')).filter((step) => step.op === 'ARG').map((step) => step.args);
    expect(globalArgs).toEqual(expect.arrayContaining([expect.stringMatching(/^WORKER_BASE_IMAGE=\S+/)]));

    const scheduler = stage('scheduler');
    const schedulerBase = scheduler.from === 'node-runtime' ? stage('node-runtime').from : scheduler.from;
    expect(schedulerBase).toMatch(/^node:.*slim/);
    expect(scheduler.steps).toContainEqual({ op: 'ENTRYPOINT', args: '["scheduler"]' });
    // evolve.png's labels need system fonts, which the slim image lacks.
    expect(scheduler.steps.some((step) => step.op === 'RUN' && /apt-get install .*fonts-dejavu-core/.test(step.args))).toBe(true);
    expect(scheduler.steps).toContainEqual({ op: 'CMD', args: '["serve"]' });

    const worker = stage('worker');
    expect(worker.from).toBe('${WORKER_BASE_IMAGE}');
    expect(worker.steps).toContainEqual({ op: 'COPY', args: '--from=node-runtime /usr/local/bin/node /usr/local/bin/node' });
    expect(worker.steps).toContainEqual({ op: 'ENTRYPOINT', args: '["worker"]' });
    // Neither trainer pip-installs in the middle of a trial (on YOLOv5's image or Ultralytics').
    expect(worker.steps.find((step) => step.op === 'ENV')?.args).toMatch(/YOLOv5_AUTOINSTALL=false .*YOLO_AUTOINSTALL=false/);
    expect(worker.steps).toContainEqual({ op: 'CMD', args: '["--device", "auto", "--allow-command", "python train.py"]' });
  });

  it('copies only from stages it defines, and the compose files build targets it has', async () => {
    const names = stages.map((candidate) => candidate.name);
    for (const step of steps.filter((candidate) => candidate.op === 'COPY' && candidate.args.startsWith('--from='))) {
      expect(names).toContain(/^--from=(\S+)/.exec(step.args)?.[1]);
    }
    for (const file of ['docker-compose.yml', 'docker-compose.worker.yml', 'docker-compose.ultralytics.yml']) {
      const compose = load(await readFile(join(ROOT, file), 'utf8')) as ComposeConfig;
      for (const service of Object.values(compose.services)) {
        if (service.build?.target !== undefined) expect(names).toContain(service.build.target);
      }
    }
  });

  it('keeps node_modules, build output and the git directory out of the build context', async () => {
    const ignored = (await readFile(join(ROOT, '.dockerignore'), 'utf8')).split('\n').map((line) => line.trim());
    expect(ignored).toEqual(expect.arrayContaining(['.git', '**/node_modules', '**/dist', '.env']));
  });
});
