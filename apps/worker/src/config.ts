import { ConfigError, readOptions, type OptionValues } from '@hyperevolve/runtime';
import { helpText } from './help-text.js';
import { WORKER_OPTIONS } from './worker-options.js';

/** The worker's settings after every check: nothing downstream re-validates them. */
export type WorkerConfig = Omit<OptionValues<typeof WORKER_OPTIONS>, 'skipBusyGpusMiB'> & {
  /** `--skip-busy-gpus`: GPUs with more memory in use (MiB) are not claimed; undefined: claim any free one. */
  skipBusyGpusMiB: number | undefined;
  /** The trainer's base environment: the worker's own, minus REDIS_URL and REDIS_CLUSTER_NODES (they may hold a password). */
  trainerEnv: Record<string, string>;
  /** Trainers run here, so relative paths in a campaign's command mean what they meant in a shell. */
  cwd: string;
};

export type LoadedConfig = { readonly kind: 'help'; readonly text: string } | { readonly kind: 'run'; readonly config: WorkerConfig };

type Env = Readonly<Record<string, string | undefined>>;

/** Reads flags and environment (the only place the worker does), or throws ConfigError (exit 2). */
export function loadConfig(argv: readonly string[] = process.argv.slice(2), env: Env = process.env): LoadedConfig {
  const read = readOptions(WORKER_OPTIONS, argv, env, { hint: 'see worker --help' });
  if (read.help) return { kind: 'help', text: helpText() };
  const { skipBusyGpusMiB, ...values } = read.values;
  if (skipBusyGpusMiB !== null && values.devices.kind === 'pinned' && values.devices.devices.every((device) => device.kind === 'cpu')) {
    throw new ConfigError('--skip-busy-gpus applies to GPUs; drop it, or use --device auto to pick a GPU that is not busy');
  }
  return {
    kind: 'run',
    config: { ...values, skipBusyGpusMiB: skipBusyGpusMiB ?? undefined, trainerEnv: trainerEnvOf(env), cwd: process.cwd() },
  };
}

function trainerEnvOf(env: Env): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(env)) {
    if (value !== undefined && key !== 'REDIS_URL' && key !== 'REDIS_CLUSTER_NODES') out[key] = value;
  }
  return out;
}
