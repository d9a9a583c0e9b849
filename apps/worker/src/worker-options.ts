import { hostname } from 'node:os';
import { DEFAULT_PREFIX, commandTokens } from '@hyperevolve/contract';
import { ConfigError, connectionOptions, envMillisecondsOption, option, parseByteSize, parseDuration, parsedOption, pathOption, quoteInput, switchOption } from '@hyperevolve/runtime';
import { AllowList } from './allow-list.js';
import { parseDevice, parseDeviceList, type DeviceSelection } from './device-selection.js';
import { DEFAULT_LOG_CAP_BYTES } from './trainer-process.js';

/**
 * Every option of `worker`, each declared once (flag or variable, help, default, check). The
 * config type, the parser and `--help` come from these tables; they are grouped as the help
 * shows them.
 */

export const DEVICE_OPTIONS = {
  devices: option<DeviceSelection>({
    flags: [
      {
        name: 'device',
        kind: 'string',
        value: 'auto|<i>|cpu',
        once: true,
        help: 'auto: one worker on a free GPU of this machine: the GPUs nvidia-smi lists (within CUDA_VISIBLE_DEVICES), each claimed by a lease in Redis keyed by its UUID, so workers that all see every GPU (docker compose --scale) end up on distinct ones; when every GPU is taken it waits for the first to free up. <i>|cpu: one worker on GPU index i (YOLOv5\'s --device i) or on the CPU. Default auto.',
      },
      {
        name: 'devices',
        kind: 'string',
        value: 'auto|<i,j,…>',
        once: true,
        help: 'one worker per GPU of this machine (auto), or per listed device, in this one process; GPUs are leased too (where nvidia-smi is missing, pinned ones run without leases, with a warning). cpu at most once: for two CPU trials at a time start two worker processes',
      },
    ],
    read: (input) => {
      const device = input.flag('device') as string | undefined;
      const devices = input.flag('devices') as string | undefined;
      if (device !== undefined && devices !== undefined) {
        throw new ConfigError('--device and --devices were both given; use --device 3 for one device or --devices 0,1,2,3 for several');
      }
      if (device?.trim().toLowerCase() === 'auto') return { kind: 'auto', all: false };
      if (devices?.trim().toLowerCase() === 'auto') return { kind: 'auto', all: true };
      if (device !== undefined) return { kind: 'pinned', devices: [parseDevice(device, '--device')] };
      if (devices !== undefined) return { kind: 'pinned', devices: parseDeviceList(devices, '--devices') };
      // Neither flag: a free GPU of this machine, or, without nvidia-smi, an error that says --device cpu.
      return { kind: 'auto', all: false };
    },
  }),
  /** GPUs with more memory in use (MiB) are not claimed; undefined: claim any free one. */
  skipBusyGpusMiB: parsedOption({
    flag: 'skip-busy-gpus',
    value: 'MiB',
    help: "do not claim a GPU with more than this much memory already in use (someone else's job), e.g. --skip-busy-gpus 1000",
    parse: (text, from) => {
      if (!/^\d{1,7}$/.test(text.trim())) throw new ConfigError(`${from}: "${text}" is not a whole number of MiB; e.g. --skip-busy-gpus 1000 skips GPUs with more than 1000 MiB already in use`);
      return Number(text);
    },
  }),
  /** Time to live of a GPU lease; it is renewed every fifth of it, so a dead worker's GPU frees within it. */
  gpuLeaseMs: envMillisecondsOption({ env: 'HYPEREVOLVE_GPU_LEASE_MS', default: 30_000, help: "GPU lease time to live in ms, renewed every fifth: a dead worker's GPU frees within it" }),
  /** As CUDA reads it: undefined when unset, "" (no GPU) when set empty. */
  cudaVisibleDevices: option({
    env: [{ name: 'CUDA_VISIBLE_DEVICES', help: 'limits --device auto/--devices auto to these GPUs (indices or UUIDs; empty: none)' }],
    read: (input) => input.envAsSet('CUDA_VISIBLE_DEVICES'),
  }),
} as const;

export const SECURITY_OPTIONS = {
  allowList: option<AllowList>({
    flags: [
      {
        name: 'allow-command',
        kind: 'list',
        value: '<prefix>',
        help: 'run only jobs whose command starts with these words, compared word by word ("python train.py" allows "python train.py --epochs 3" but not "python evil.py"); repeatable. Commands never go through a shell.',
      },
      { name: 'allow-any-command', kind: 'boolean', help: 'run any command a job carries (only where nobody else can enqueue)' },
    ],
    env: [{ name: 'HYPEREVOLVE_ALLOW_COMMANDS', help: 'allow-list when no --allow-command is given, prefixes separated by ";"' }],
    read: (input) => {
      const prefixes = input.flag('allow-command') as string[] | undefined;
      const any = input.flag('allow-any-command') === true;
      if (any && prefixes !== undefined) {
        throw new ConfigError('--allow-any-command and --allow-command were both given; keep only the --allow-command prefixes (safer) or only --allow-any-command');
      }
      if (any) return AllowList.any();
      if (prefixes !== undefined) {
        if (prefixes.some((prefix) => commandTokens(prefix).length === 0)) throw new ConfigError('--allow-command: an empty prefix would allow every command; give a prefix such as "python train.py"');
        return AllowList.of(prefixes);
      }
      const fromEnv = (input.env('HYPEREVOLVE_ALLOW_COMMANDS') ?? '').split(';').filter((prefix) => commandTokens(prefix).length > 0);
      if (fromEnv.length > 0) return AllowList.of(fromEnv);
      throw new ConfigError(
        'no allow-list: this worker would run whatever command a job carries. Allow the trainer you expect with ' +
          '--allow-command "python train.py" (repeatable) or HYPEREVOLVE_ALLOW_COMMANDS="python train.py;python segment/train.py"; ' +
          'or, on a machine only you can enqueue to, --allow-any-command',
      );
    },
  }),
} as const;

export const OTHER_OPTIONS = {
  /** Absolute; trial directories are `<workdir>/<campaign>/<runName>`. */
  workdir: pathOption({
    flag: 'workdir',
    value: '<dir>',
    once: true,
    default: './runs/trials',
    help: "where trial directories go: <dir>/<campaign>/<index>-<attempt>/ (hyp.yaml, command.txt, train.log, the trainer's output)",
  }),
  ...connectionOptions(DEFAULT_PREFIX),
  /** How long running trials may go on after the first SIGTERM/SIGINT before they are killed and handed back; null: as long as they take. */
  graceMs: parsedOption<number | null>({
    flag: 'grace',
    value: 'DURATION|unlimited',
    env: 'HYPEREVOLVE_GRACE',
    defaultText: 'unlimited',
    help: 'on the first SIGTERM/SIGINT (Ctrl-C) the worker takes no new trial and lets the running one finish and report: for as long as it takes (unlimited), or for at most this long (e.g. 30m), after which it is killed and handed back to the queue, not counted as an attempt. 0: kill and hand back at once. A second signal always does that at once',
    parse: parseGrace,
  }),
  /** train.log keeps its first and last halves of this many bytes; 0 keeps everything. */
  logCapBytes: option<number>({
    flags: [
      {
        name: 'log-cap',
        kind: 'string',
        value: '<size>',
        help: 'train.log keeps the first and last halves of this much output, with a note of what was left out between them (default 64M; none keeps everything)',
      },
    ],
    read: (input) => {
      const text = input.flag('log-cap') as string | undefined;
      if (text === undefined) return DEFAULT_LOG_CAP_BYTES;
      if (['0', 'none', 'off'].includes(text.trim().toLowerCase())) return 0;
      const bytes = parseByteSize(text, '--log-cap');
      if (bytes < 4096) throw new ConfigError(`--log-cap: ${quoteInput(text)} is too small to keep a traceback; use 4K or more (default 64M), or none to keep everything`);
      return bytes;
    },
  }),
  /** A cgroup per trainer run where the machine allows it. */
  trainerCgroups: option<boolean>({
    env: [{ name: 'HYPEREVOLVE_TRAINER_CGROUPS', help: 'off: no cgroup per trainer run even where the machine allows one (default on)' }],
    read: (input) => {
      const raw = input.env('HYPEREVOLVE_TRAINER_CGROUPS');
      const text = raw?.trim().toLowerCase();
      if (text === undefined) return true;
      if (['on', '1', 'yes', 'true'].includes(text)) return true;
      if (['off', '0', 'no', 'false'].includes(text)) return false;
      throw new ConfigError(`HYPEREVOLVE_TRAINER_CGROUPS: ${quoteInput(raw ?? '')} is neither on nor off; e.g. HYPEREVOLVE_TRAINER_CGROUPS=off`);
    },
  }),
  /** Trainers run with their offline switches and a guard that fails a trial which still reaches for the network. */
  offline: switchOption({
    flag: 'offline',
    help: "for machines without internet: trainers run with their offline switches (YOLO_OFFLINE=1, HF_HUB_OFFLINE=1, no package installs) and a guard that blocks any network attempt left; a trial that makes one fails (network-blocked) naming what it tried to fetch. Fonts and weights must be on disk (docs/trainers.md)",
  }),
  /** Reported in heartbeats and results; HYPEREVOLVE_HOST lets tests simulate machines. */
  host: option({
    env: [{ name: 'HYPEREVOLVE_HOST', help: 'host name reported in heartbeats and results (default: os.hostname())' }],
    read: (input) => input.env('HYPEREVOLVE_HOST') ?? hostname(),
  }),
  lockMs: envMillisecondsOption({ env: 'HYPEREVOLVE_LOCK_MS', default: 30_000, help: 'BullMQ job lock duration in ms' }),
  stalledMs: envMillisecondsOption({ env: 'HYPEREVOLVE_STALLED_MS', default: 30_000, help: 'BullMQ stalled-job check interval in ms' }),
  heartbeatMs: envMillisecondsOption({ env: 'HYPEREVOLVE_HEARTBEAT_MS', default: 2_000, help: 'heartbeat interval in ms' }),
  artifactSweepMs: envMillisecondsOption({
    env: 'HYPEREVOLVE_ARTIFACT_SWEEP_MS',
    default: 30_000,
    help: "how often, in ms, the run directories of campaigns with trials here are pruned to their --keep-artifacts and measured (also after trials end: at most once a second)",
  }),
  connectTimeoutMs: envMillisecondsOption({ env: 'HYPEREVOLVE_CONNECT_TIMEOUT_MS', default: 10_000, help: 'how long to wait for Redis at start-up, in ms' }),
} as const;

export const WORKER_OPTIONS = { ...DEVICE_OPTIONS, ...SECURITY_OPTIONS, ...OTHER_OPTIONS } as const;

/** Longer waits do not fit a Node timer (they would fire at once). */
const MAX_GRACE_MS = 2 ** 31 - 1;

/** `--grace`: a duration in ms, or null for `unlimited`. */
function parseGrace(text: string, from: string): number | null {
  if (['unlimited', 'infinite', 'inf'].includes(text.trim().toLowerCase())) return null;
  const ms = parseDuration(text, from);
  if (ms > MAX_GRACE_MS) throw new ConfigError(`${from}: ${quoteInput(text)} is longer than 24 days, the longest grace a worker can time; use a shorter one, or unlimited to wait for the running trial however long it takes`);
  return ms;
}
