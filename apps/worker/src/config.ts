import { hostname } from 'node:os';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { DEFAULT_PREFIX, commandTokens } from '@hyperevolve/contract';
import { ConfigError, parseDuration, parseFlags as checkFlags, redisTargetOf, type RedisTarget } from '@hyperevolve/runtime';
import { AllowList } from './allow-list.js';
import { parseDevice, parseDeviceList, type DeviceSelection } from './device-selection.js';
import { HELP_TEXT } from './help-text.js';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** The worker's settings after every check: nothing downstream re-validates them. */
export interface WorkerConfig {
  devices: DeviceSelection;
  /** `--skip-busy-gpus`: GPUs with more memory in use (MiB) are not claimed; undefined: claim any free one. */
  skipBusyGpusMiB: number | undefined;
  /** Time to live of a GPU lease; it is renewed every third of it, so a dead worker's GPU frees within it. */
  gpuLeaseMs: number;
  /** As CUDA reads it: undefined when unset, "" (no GPU) when set empty. */
  cudaVisibleDevices: string | undefined;
  /** Absolute; trial directories are `<workdir>/<campaign>/<runName>`. */
  workdir: string;
  /** One Redis (REDIS_URL) or a Redis Cluster (REDIS_CLUSTER_NODES). */
  redis: RedisTarget;
  prefix: string;
  allowList: AllowList;
  /** How long a running trial may go on after SIGTERM/SIGINT before it is killed and handed back. */
  graceMs: number;
  logLevel: LogLevel;
  /** Reported in heartbeats and results; HYPEREVOLVE_HOST lets tests simulate machines. */
  host: string;
  lockMs: number;
  stalledMs: number;
  heartbeatMs: number;
  connectTimeoutMs: number;
  /** The trainer's base environment: the worker's own, minus REDIS_URL and REDIS_CLUSTER_NODES (they may hold a password). */
  trainerEnv: Record<string, string>;
  /** Trainers run here, so relative paths in a campaign's command mean what they meant in a shell. */
  cwd: string;
}

export type LoadedConfig = { readonly kind: 'help'; readonly text: string } | { readonly kind: 'run'; readonly config: WorkerConfig };

type Env = Readonly<Record<string, string | undefined>>;

/** Reads flags and environment (the only place the worker does), or throws ConfigError (exit 2). */
export function loadConfig(argv: readonly string[] = process.argv.slice(2), env: Env = process.env): LoadedConfig {
  const flags = parseFlags(argv);
  if (flags.help === true) return { kind: 'help', text: HELP_TEXT };

  const redis = redisTargetOf({ urlFlag: flags['redis-url'], clusterFlag: flags['redis-cluster'], urlEnv: env.REDIS_URL, clusterEnv: env.REDIS_CLUSTER_NODES });

  const devices = deviceSelection(flags.device, flags.devices);
  return {
    kind: 'run',
    config: {
      devices,
      skipBusyGpusMiB: skipBusyOf(flags['skip-busy-gpus'], devices),
      gpuLeaseMs: millisecondsOf(env, 'HYPEREVOLVE_GPU_LEASE_MS', 30_000),
      cudaVisibleDevices: env.CUDA_VISIBLE_DEVICES,
      workdir: resolve(flags.workdir ?? './runs/trials'),
      redis,
      prefix: prefixOf(flags.prefix, env.HYPEREVOLVE_PREFIX),
      allowList: allowListOf(flags['allow-command'], flags['allow-any-command'] === true, env.HYPEREVOLVE_ALLOW_COMMANDS),
      graceMs: flags.grace === undefined ? 0 : parseDuration(flags.grace, '--grace'),
      logLevel: logLevelOf(flags['log-level'], env.HYPEREVOLVE_LOG_LEVEL),
      host: nonEmpty(env.HYPEREVOLVE_HOST) ?? hostname(),
      lockMs: millisecondsOf(env, 'HYPEREVOLVE_LOCK_MS', 30_000),
      stalledMs: millisecondsOf(env, 'HYPEREVOLVE_STALLED_MS', 30_000),
      heartbeatMs: millisecondsOf(env, 'HYPEREVOLVE_HEARTBEAT_MS', 2_000),
      connectTimeoutMs: millisecondsOf(env, 'HYPEREVOLVE_CONNECT_TIMEOUT_MS', 10_000),
      trainerEnv: trainerEnvOf(env),
      cwd: process.cwd(),
    },
  };
}

const FLAGS = {
  device: { type: 'string' },
  devices: { type: 'string' },
  'skip-busy-gpus': { type: 'string' },
  workdir: { type: 'string' },
  'redis-url': { type: 'string' },
  'redis-cluster': { type: 'string' },
  prefix: { type: 'string' },
  'allow-command': { type: 'string', multiple: true },
  'allow-any-command': { type: 'boolean' },
  grace: { type: 'string' },
  'log-level': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** Flags where a second value silently replacing the first would put work on the wrong GPU or disk. */
const ONCE = ['device', 'devices', 'workdir'] as const;

function parseFlags(argv: readonly string[]) {
  // The shared parser explains a bad command line (the closest known flag, a missing value);
  // node's own keeps the flags' types.
  checkFlags(argv, FLAGS, 'see worker --help');
  const { values, tokens } = parseArgs({ args: [...argv], strict: true, allowPositionals: false, options: FLAGS, tokens: true });
  for (const name of ONCE) {
    const given = tokens.filter((t) => t.kind === 'option' && t.name === name).map((t) => (t.kind === 'option' ? t.value : undefined));
    if (given.length > 1) throw new ConfigError(`--${name} was given ${given.length} times (${given.join(', then ')}); give it once (see worker --help)`);
  }
  return values;
}

function deviceSelection(device: string | undefined, devices: string | undefined): DeviceSelection {
  if (device !== undefined && devices !== undefined) {
    throw new ConfigError('--device and --devices were both given; use --device 3 for one device or --devices 0,1,2,3 for several');
  }
  if (device?.trim().toLowerCase() === 'auto') return { kind: 'auto', all: false };
  if (devices?.trim().toLowerCase() === 'auto') return { kind: 'auto', all: true };
  if (device !== undefined) return { kind: 'pinned', devices: [parseDevice(device, '--device')] };
  if (devices !== undefined) return { kind: 'pinned', devices: parseDeviceList(devices, '--devices') };
  // Neither flag: a free GPU of this machine, or, without nvidia-smi, an error that says --device cpu.
  return { kind: 'auto', all: false };
}

function skipBusyOf(text: string | undefined, devices: DeviceSelection): number | undefined {
  if (text === undefined) return undefined;
  if (!/^\d{1,7}$/.test(text.trim())) {
    throw new ConfigError(`--skip-busy-gpus: "${text}" is not a whole number of MiB; e.g. --skip-busy-gpus 1000 skips GPUs with more than 1000 MiB already in use`);
  }
  if (devices.kind === 'pinned' && devices.devices.every((device) => device.kind === 'cpu')) {
    throw new ConfigError('--skip-busy-gpus applies to GPUs; drop it, or use --device auto to pick a GPU that is not busy');
  }
  return Number(text);
}

function allowListOf(flagPrefixes: string[] | undefined, allowAny: boolean, envPrefixes: string | undefined): AllowList {
  if (allowAny && flagPrefixes !== undefined) {
    throw new ConfigError('--allow-any-command and --allow-command were both given; keep only the --allow-command prefixes (safer) or only --allow-any-command');
  }
  if (allowAny) return AllowList.any();
  if (flagPrefixes !== undefined) {
    const empty = flagPrefixes.find((prefix) => commandTokens(prefix).length === 0);
    if (empty !== undefined) throw new ConfigError('--allow-command: an empty prefix would allow every command; give a prefix such as "python train.py"');
    return AllowList.of(flagPrefixes);
  }
  const fromEnv = (envPrefixes ?? '').split(';').filter((prefix) => commandTokens(prefix).length > 0);
  if (fromEnv.length > 0) return AllowList.of(fromEnv);
  throw new ConfigError(
    'no allow-list: this worker would run whatever command a job carries. Allow the trainer you expect with ' +
      '--allow-command "python train.py" (repeatable) or HYPEREVOLVE_ALLOW_COMMANDS="python train.py;python segment/train.py"; ' +
      'or, on a machine only you can enqueue to, --allow-any-command',
  );
}

function prefixOf(flag: string | undefined, env: string | undefined): string {
  const [value, from] = flag === undefined ? [nonEmpty(env) ?? DEFAULT_PREFIX, 'HYPEREVOLVE_PREFIX'] : [flag, '--prefix'];
  if (!/^[A-Za-z0-9_.:-]{1,64}$/.test(value)) {
    throw new ConfigError(`${from}: "${value}" is not a key prefix; use 1–64 letters, digits, "_", ".", ":" or "-" (default ${DEFAULT_PREFIX}), the same as the scheduler's`);
  }
  return value;
}

function logLevelOf(flag: string | undefined, env: string | undefined): LogLevel {
  const [value, from] = flag === undefined ? [nonEmpty(env) ?? 'info', 'HYPEREVOLVE_LOG_LEVEL'] : [flag, '--log-level'];
  const level = LOG_LEVELS.find((candidate) => candidate === value);
  if (level === undefined) throw new ConfigError(`${from}: "${value}" is not a log level; use one of ${LOG_LEVELS.join(', ')}`);
  return level;
}

function millisecondsOf(env: Env, name: string, fallback: number): number {
  const text = nonEmpty(env[name]);
  if (text === undefined) return fallback;
  if (!/^\d+$/.test(text.trim()) || Number(text) < 100) {
    throw new ConfigError(`${name}: "${text}" is not a whole number of milliseconds ≥ 100; e.g. ${name}=${fallback}`);
  }
  return Number(text);
}

function trainerEnvOf(env: Env): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(env)) {
    if (value !== undefined && key !== 'REDIS_URL' && key !== 'REDIS_CLUSTER_NODES') out[key] = value;
  }
  return out;
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value;
}
