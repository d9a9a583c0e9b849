import { describe, expect, it } from 'vitest';
import { ConfigError } from '@hyperevolve/runtime';
import { loadConfig, type WorkerConfig } from './config.js';

const ALLOW = ['--allow-command', 'python train.py'];

function run(argv: string[], env: Record<string, string> = {}): WorkerConfig {
  const loaded = loadConfig(argv, env);
  if (loaded.kind !== 'run') throw new Error('expected a run config');
  return loaded.config;
}

function failure(argv: string[], env: Record<string, string> = {}): ConfigError {
  try {
    loadConfig(argv, env);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error(`expected a ConfigError for ${argv.join(' ')}`);
}

describe('loadConfig', () => {
  it('fills defaults for one pinned GPU', () => {
    const config = run(['--device', '3', ...ALLOW]);
    expect(config.devices).toEqual({ kind: 'pinned', devices: [{ kind: 'gpu', index: 3 }] });
    expect(config.prefix).toBe('hyperevolve');
    expect(config.redis).toEqual({ kind: 'single', url: 'redis://127.0.0.1:6379', from: 'REDIS_URL' });
    expect(config.workdir).toMatch(/^\/.*runs\/trials$/);
    // No --grace: a stopped worker waits for its running trial however long it takes.
    expect(config.graceMs).toBeNull();
    expect(config.lockMs).toBe(30_000);
    expect(config.stalledMs).toBe(30_000);
    expect(config.heartbeatMs).toBe(2_000);
    expect(config.logLevel).toBe('info');
    expect(config.logCapBytes).toBe(64 * 2 ** 20);
    expect(config.trainerCgroups).toBe(true);
    expect(config.logFormat).toBe('auto');
    expect(config.allowList.allows(['python', 'train.py', '--epochs', '3'])).toBe(true);
  });

  it('reads --devices, --grace, --prefix, --redis-url and the environment', () => {
    const config = run(['--devices', '0, 1,cpu', '--grace', '15m', '--prefix', 'lab', '--redis-url', 'redis://:pw@h:6380/2', '--workdir', '/data/runs', ...ALLOW], {
      REDIS_URL: 'redis://ignored:1',
      HYPEREVOLVE_HOST: 'box-7',
      HYPEREVOLVE_LOCK_MS: '1500',
      HYPEREVOLVE_STALLED_MS: '700',
    });
    expect(config.devices).toEqual({ kind: 'pinned', devices: [{ kind: 'gpu', index: 0 }, { kind: 'gpu', index: 1 }, { kind: 'cpu' }] });
    expect(config.graceMs).toBe(900_000);
    expect(config.prefix).toBe('lab');
    expect(config.redis).toEqual({ kind: 'single', url: 'redis://:pw@h:6380/2', from: '--redis-url' });
    expect(config.workdir).toBe('/data/runs');
    expect(config.host).toBe('box-7');
    expect(config.lockMs).toBe(1500);
    expect(config.stalledMs).toBe(700);
    expect(run(['--device', 'cpu', '--log-format', 'json', ...ALLOW]).logFormat).toBe('json');
    expect(run(['--device', 'cpu', ...ALLOW], { HYPEREVOLVE_LOG_FORMAT: 'text' }).logFormat).toBe('text');
  });

  it('reads --grace as a duration, unlimited, or HYPEREVOLVE_GRACE (the flag first)', () => {
    expect(run(['--device', 'cpu', '--grace', '0', ...ALLOW]).graceMs).toBe(0);
    expect(run(['--device', 'cpu', '--grace', 'unlimited', ...ALLOW], { HYPEREVOLVE_GRACE: '5m' }).graceMs).toBeNull();
    expect(run(['--device', 'cpu', ...ALLOW], { HYPEREVOLVE_GRACE: '50m' }).graceMs).toBe(3_000_000);
    expect(run(['--device', 'cpu', '--grace', '90s', ...ALLOW], { HYPEREVOLVE_GRACE: '50m' }).graceMs).toBe(90_000);
  });

  it('reads --log-cap (none keeps everything) and HYPEREVOLVE_TRAINER_CGROUPS', () => {
    expect(run(['--device', '0', '--log-cap', '512K', ...ALLOW]).logCapBytes).toBe(512 * 1024);
    expect(run(['--device', '0', '--log-cap', '1.5G', ...ALLOW]).logCapBytes).toBe(1.5 * 2 ** 30);
    expect(run(['--device', '0', '--log-cap', 'none', ...ALLOW]).logCapBytes).toBe(0);
    expect(run(['--device', '0', ...ALLOW], { HYPEREVOLVE_TRAINER_CGROUPS: 'off' }).trainerCgroups).toBe(false);
  });

  it('picks GPUs automatically by default, with --device auto, and for every GPU with --devices auto', () => {
    const byDefault = run([...ALLOW]);
    expect(byDefault.devices).toEqual({ kind: 'auto', all: false });
    expect(byDefault.gpuLeaseMs).toBe(30_000);
    expect(byDefault.skipBusyGpusMiB).toBeUndefined();
    expect(byDefault.cudaVisibleDevices).toBeUndefined();
    expect(run(['--device', 'AUTO', ...ALLOW]).devices).toEqual({ kind: 'auto', all: false });
    const all = run(['--devices', 'auto', '--skip-busy-gpus', '1000', ...ALLOW], { HYPEREVOLVE_GPU_LEASE_MS: '2000', CUDA_VISIBLE_DEVICES: '' });
    expect(all).toMatchObject({ devices: { kind: 'auto', all: true }, skipBusyGpusMiB: 1000, gpuLeaseMs: 2000, cudaVisibleDevices: '' });
    expect(all.trainerEnv.CUDA_VISIBLE_DEVICES).toBe('');
  });

  it('takes REDIS_URL and HYPEREVOLVE_PREFIX from the environment and keeps REDIS_URL from the trainer', () => {
    const config = run(['--device', 'cpu', ...ALLOW], { REDIS_URL: 'redis://:secret@r:6379', HYPEREVOLVE_PREFIX: 'p1', PATH: '/bin' });
    expect(config.redis).toEqual({ kind: 'single', url: 'redis://:secret@r:6379', from: 'REDIS_URL' });
    expect(config.prefix).toBe('p1');
    expect(config.trainerEnv).toEqual({ HYPEREVOLVE_PREFIX: 'p1', PATH: '/bin' });
  });

  it('takes a Redis Cluster from REDIS_CLUSTER_NODES or --redis-cluster and keeps it from the trainer', () => {
    const config = run(['--device', 'cpu', ...ALLOW], { REDIS_CLUSTER_NODES: 'redis://:pw@10.0.0.1:7000,10.0.0.2:7001', PATH: '/bin' });
    expect(config.redis).toMatchObject({ kind: 'cluster', nodes: [{ host: '10.0.0.1', port: 7000 }, { host: '10.0.0.2', port: 7001 }], password: 'pw', tls: false });
    expect(config.trainerEnv).toEqual({ PATH: '/bin' });
    expect(run(['--device', 'cpu', '--redis-cluster', 'a:1,b:2', ...ALLOW], { REDIS_URL: 'redis://x:6379' }).redis).toMatchObject({ kind: 'cluster', from: '--redis-cluster' });
    expect(failure(['--device', 'cpu', ...ALLOW], { REDIS_URL: 'redis://x:6379', REDIS_CLUSTER_NODES: 'a:1' }).message).toMatch(/REDIS_URL and REDIS_CLUSTER_NODES are both set/);
  });

  it('reads the allow-list from HYPEREVOLVE_ALLOW_COMMANDS, separated by ";"', () => {
    const config = run(['--device', '0'], { HYPEREVOLVE_ALLOW_COMMANDS: 'python train.py; python segment/train.py ;' });
    expect(config.allowList.allows(['python', 'segment/train.py'])).toBe(true);
    expect(config.allowList.allows(['python', 'val.py'])).toBe(false);
  });

  it('lets --allow-command replace the environment list', () => {
    const config = run(['--device', '0', '--allow-command', 'node'], { HYPEREVOLVE_ALLOW_COMMANDS: 'python train.py' });
    expect(config.allowList.allows(['python', 'train.py'])).toBe(false);
    expect(config.allowList.allows(['node', 'x.js'])).toBe(true);
  });

  it('accepts --allow-any-command', () => {
    expect(run(['--device', '0', '--allow-any-command']).allowList.allows(['anything'])).toBe(true);
  });

  it('runs trainers online unless --offline is given', () => {
    expect(run(['--device', 'cpu', ...ALLOW]).offline).toBe(false);
    expect(run(['--device', 'cpu', '--offline', ...ALLOW]).offline).toBe(true);
  });

  it('returns help for --help and -h', () => {
    for (const flag of ['--help', '-h']) {
      const loaded = loadConfig([flag], {});
      expect(loaded.kind).toBe('help');
      if (loaded.kind === 'help') {
        expect(loaded.text).toContain('--allow-command');
        expect(loaded.text).toContain('HYPEREVOLVE_ALLOW_COMMANDS');
        expect(loaded.text).toContain('Example');
      }
    }
  });

  it.each([
    [['--device', '0'], /no allow-list.*--allow-command "python train.py".*HYPEREVOLVE_ALLOW_COMMANDS.*--allow-any-command/],
    [['--device', '0', '--devices', '1,2', ...ALLOW], /--device and --devices were both given/],
    [['--device', 'gpu0', ...ALLOW], /--device: "gpu0" is not a device; expected a GPU index/],
    [['--devices', '0,auto', ...ALLOW], /--devices: "auto" stands alone \(--device auto for one GPU, --devices auto for all/],
    [['--device', 'auto', '--skip-busy-gpus', 'lots', ...ALLOW], /--skip-busy-gpus: "lots" is not a whole number of MiB; e.g. --skip-busy-gpus 1000/],
    [['--device', 'cpu', '--skip-busy-gpus', '1000', ...ALLOW], /--skip-busy-gpus applies to GPUs/],
    [['--devices', '0,,1', ...ALLOW], /--devices: "0,,1" has an empty entry/],
    [['--devices', '0,1,0', ...ALLOW], /--devices: device 0 is listed twice/],
    [['--devices', 'cpu,cpu', ...ALLOW], /--devices: cpu is listed twice; one worker process runs one CPU trial at a time, so for two at once start two: worker --device cpu & worker --device cpu &/],
    [['--device', '0', '--allow-command', '  '], /--allow-command: an empty prefix would allow every command/],
    [['--device', '0', '--allow-any-command', ...ALLOW], /--allow-any-command and --allow-command were both given/],
    [['--device', '0', '--grace', 'soon', ...ALLOW], /--grace: "soon" is not a duration/],
    [['--device', '0', '--grace', '30d', ...ALLOW], /--grace: "30d" is longer than 24 days, the longest grace a worker can time; use a shorter one, or unlimited/],
    [['--device', '0', '--log-cap', 'lots', ...ALLOW], /--log-cap: "lots" is not a size; use e\.g\. 64M, 512K or 1G/],
    [['--device', '0', '--log-cap', '100', ...ALLOW], /--log-cap: "100" is too small to keep a traceback; use 4K or more/],
    [['--device', '0', '--log-level', 'loud', ...ALLOW], /--log-level: "loud" is not a log level; use one of fatal, error/],
    [['--device', '0', '--log-format', 'pretty', ...ALLOW], /^--log-format: "pretty" is not a log format; use one of auto, text, json$/],
    [['--device', '0', '--prefix', 'has space', ...ALLOW], /--prefix: "has space" is not a key prefix/],
    [['--device', '0', '--redis-url', 'http://x', ...ALLOW], /--redis-url: scheme "http:" is not supported/],
    [['--device', '0', '--frobnicate', ...ALLOW], /unknown flag --frobnicate \(see worker --help\)/],
    [['--device', '0', '--allow-commnd', 'node'], /unknown flag --allow-commnd; did you mean --allow-command\? \(see worker --help\)/],
    [['--device', 'cpu', '--device', '1', ...ALLOW], /--device was given 2 times \(cpu, then 1\); give it once/],
    [['--device', '0', 'stray', ...ALLOW], /stray.*worker --help/],
    [['--device', ...ALLOW], /--device.*worker --help|no device|not a device/],
  ])('rejects %j with a message naming the flag and the fix', (argv, message) => {
    const error = failure(argv);
    expect(error.exitCode).toBe(2);
    expect(error.message).toMatch(message);
  });

  it.each([
    [{ REDIS_URL: 'localhost:6379' }, /REDIS_URL: .*redis:\/\//],
    [{ HYPEREVOLVE_LOCK_MS: '30s' }, /HYPEREVOLVE_LOCK_MS: "30s" is not a whole number of milliseconds/],
    [{ HYPEREVOLVE_STALLED_MS: '5' }, /HYPEREVOLVE_STALLED_MS: "5" is not a whole number of milliseconds ≥ 100/],
    [{ HYPEREVOLVE_LOG_LEVEL: 'verbose' }, /HYPEREVOLVE_LOG_LEVEL: "verbose" is not a log level/],
    [{ HYPEREVOLVE_LOG_FORMAT: 'yaml' }, /HYPEREVOLVE_LOG_FORMAT: "yaml" is not a log format/],
    [{ HYPEREVOLVE_PREFIX: 'a b' }, /HYPEREVOLVE_PREFIX: "a b" is not a key prefix/],
    [{ HYPEREVOLVE_GPU_LEASE_MS: '2s' }, /HYPEREVOLVE_GPU_LEASE_MS: "2s" is not a whole number of milliseconds/],
    [{ HYPEREVOLVE_TRAINER_CGROUPS: 'maybe' }, /HYPEREVOLVE_TRAINER_CGROUPS: "maybe" is neither on nor off/],
    [{ HYPEREVOLVE_GRACE: 'later' }, /HYPEREVOLVE_GRACE: "later" is not a duration/],
  ])('rejects the environment %j naming the variable', (env, message) => {
    expect(failure(['--device', '0', ...ALLOW], env).message).toMatch(message);
  });

  it('never prints a Redis password in its errors', () => {
    expect(failure(['--device', '0', '--redis-url', 'redis://:hunter2@h:1/x', ...ALLOW]).message).not.toContain('hunter2');
  });
});
