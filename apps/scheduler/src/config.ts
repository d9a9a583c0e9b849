import { resolve } from 'node:path';
import type { ParseArgsConfig } from 'node:util';
import { AdapterSchema, CampaignNameSchema, DEFAULT_PREFIX, StrategyNameSchema, describeZodError, type Adapter } from '@hyperevolve/contract';
import { ConfigError, parseDuration, parseFlags, quoteInput, redisTargetOf, type RedisTarget } from '@hyperevolve/runtime';
import { DEFAULT_STRATEGY, type StrategyName } from '@hyperevolve/ga-core';
import { helpFor, VERBS, type Verb } from './help.js';

/** The only place the scheduler reads process.env and argv; everything after trusts these types. */
export interface CommonConfig {
  /** One Redis (REDIS_URL) or a Redis Cluster (REDIS_CLUSTER_NODES). */
  redis: RedisTarget;
  prefix: string;
  logLevel: string;
}

export interface EnqueueConfig extends CommonConfig {
  verb: 'enqueue';
  name: string;
  generations: number;
  hypFile: string | null;
  spaceFile: string | null;
  fitnessWeights: [number, number, number, number] | null;
  parentStrategy: StrategyName | null;
  seed: number | null;
  adapter: Adapter | null;
  timeoutMs: number | null | undefined;
  attempts: number | null;
  outDir: string | null;
  seedFrom: string | null;
  fastTrials: boolean | null;
  maxConsecutiveFailures: number | null;
  /** No warnings about the hyps and the space (they are printed once, when the campaign is created). */
  quiet: boolean;
  command: string[];
}

export interface ServeConfig extends CommonConfig {
  verb: 'serve';
  lookahead: number;
  tickMs: number;
  reconcileMs: number;
  exportIntervalMs: number;
  http: { host: string; port: number } | null;
  httpToken: string | null;
  httpPublicRead: boolean;
  /** BullMQ lock of a result being recorded; a dead scheduler's recording is retried after it. */
  resultsLockMs: number;
  resultsStalledMs: number;
}

export interface CampaignVerbConfig extends CommonConfig {
  verb: 'best' | 'pause' | 'resume' | 'cancel';
  name: string;
}

export interface StatusConfig extends CommonConfig {
  verb: 'status';
  name: string | null;
  json: boolean;
  watch: boolean;
  watchIntervalMs: number;
}

export interface ExportConfig extends CommonConfig {
  verb: 'export';
  name: string;
  outDir: string;
}

export interface ListConfig extends CommonConfig {
  verb: 'list';
  json: boolean;
}

export interface PreviewConfig {
  verb: 'preview';
  population: string;
  hypFile: string | null;
  spaceFile: string | null;
  parentStrategy: StrategyName;
  count: number;
  seed: number;
  format: 'csv' | 'jsonl';
  /** No warnings about the hyps and the space. */
  quiet: boolean;
  logLevel: string;
}

export interface HelpConfig {
  verb: 'help';
  text: string;
}

export type SchedulerConfig =
  | EnqueueConfig
  | ServeConfig
  | CampaignVerbConfig
  | StatusConfig
  | ExportConfig
  | ListConfig
  | PreviewConfig
  | HelpConfig;

type Options = NonNullable<ParseArgsConfig['options']>;

const COMMON_OPTIONS: Options = {
  'redis-url': { type: 'string' },
  'redis-cluster': { type: 'string' },
  prefix: { type: 'string' },
  'log-level': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
};

const VERB_OPTIONS: Record<Verb, Options> = {
  serve: {
    lookahead: { type: 'string' },
    'tick-ms': { type: 'string' },
    'reconcile-ms': { type: 'string' },
    'export-interval-ms': { type: 'string' },
    http: { type: 'string' },
    'http-token': { type: 'string' },
    'http-public-read': { type: 'boolean' },
  },
  enqueue: {
    name: { type: 'string' },
    generations: { type: 'string' },
    hyp: { type: 'string' },
    space: { type: 'string' },
    'fitness-weights': { type: 'string' },
    parent: { type: 'string' },
    seed: { type: 'string' },
    adapter: { type: 'string' },
    timeout: { type: 'string' },
    attempts: { type: 'string' },
    out: { type: 'string' },
    'seed-from': { type: 'string' },
    'full-trials': { type: 'boolean' },
    'max-failures': { type: 'string' },
    quiet: { type: 'boolean', short: 'q' },
  },
  status: { name: { type: 'string' }, json: { type: 'boolean' }, watch: { type: 'boolean' }, interval: { type: 'string' } },
  best: { name: { type: 'string' } },
  export: { name: { type: 'string' }, out: { type: 'string' } },
  pause: { name: { type: 'string' } },
  resume: { name: { type: 'string' } },
  cancel: { name: { type: 'string' } },
  list: { json: { type: 'boolean' } },
  preview: {
    population: { type: 'string' },
    hyp: { type: 'string' },
    space: { type: 'string' },
    parent: { type: 'string' },
    count: { type: 'string' },
    seed: { type: 'string' },
    format: { type: 'string' },
    quiet: { type: 'boolean', short: 'q' },
  },
};

function integer(value: string | undefined, flag: string, min: number): number | null {
  if (value === undefined) return null;
  if (!/^-?\d+$/.test(value.trim())) throw new ConfigError(`${flag}: "${value}" is not a whole number; expected an integer ≥ ${min}, e.g. ${flag} ${Math.max(min, 1) * 10}`);
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < min) throw new ConfigError(`${flag}: ${value} is out of range; expected an integer ≥ ${min}, e.g. ${flag} ${Math.max(min, 1) * 10}`);
  return n;
}

function campaignName(value: string | undefined, flag = '--name'): string {
  const parsed = CampaignNameSchema.safeParse(value ?? 'exp');
  if (!parsed.success) throw new ConfigError(`${flag}: ${quoteInput(value ?? '')} is not a valid campaign name: ${describeZodError(parsed.error)}`);
  return parsed.data;
}

function oneOf<T extends string>(value: string | undefined, flag: string, allowed: readonly T[]): T | null {
  if (value === undefined) return null;
  if (!(allowed as readonly string[]).includes(value)) throw new ConfigError(`${flag}: ${quoteInput(value)} is not one of ${allowed.join(', ')}`);
  return value as T;
}

function parseWeights(value: string | undefined): [number, number, number, number] | null {
  if (value === undefined) return null;
  const parts = value.split(',').map((p) => p.trim());
  const numbers = parts.map(Number);
  if (parts.length !== 4 || parts.some((p) => p === '') || numbers.some((n) => !Number.isFinite(n))) {
    throw new ConfigError(
      `--fitness-weights: "${value}" must be 4 comma-separated numbers for precision, recall, mAP@0.5, mAP@0.5:0.95 (YOLOv5's default: 0,0,0.1,0.9)`,
    );
  }
  if (numbers.some((n) => n < 0) || numbers.every((n) => n === 0)) {
    throw new ConfigError(`--fitness-weights: "${value}" must be non-negative with at least one weight > 0`);
  }
  return numbers as [number, number, number, number];
}

function parseHttp(value: string | undefined): { host: string; port: number } | null {
  if (value === undefined) return null;
  const match = /^(?:\[([^\]]+)\]|([^:]+)):(\d{1,5})$/.exec(value.trim());
  const port = Number(match?.[3]);
  if (match === null || port < 1 || port > 65_535) {
    throw new ConfigError(`--http: "${value}" must be HOST:PORT, e.g. --http 127.0.0.1:3000`);
  }
  return { host: match[1] ?? match[2] ?? '127.0.0.1', port };
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

function common(values: Record<string, unknown>, env: NodeJS.ProcessEnv): CommonConfig {
  const redis = redisTargetOf({
    urlFlag: values['redis-url'] as string | undefined,
    clusterFlag: values['redis-cluster'] as string | undefined,
    urlEnv: env.REDIS_URL,
    clusterEnv: env.REDIS_CLUSTER_NODES,
  });
  const prefix = (values.prefix as string | undefined) ?? env.HYPEREVOLVE_PREFIX ?? DEFAULT_PREFIX;
  if (!/^[A-Za-z0-9_.-]{1,64}$/.test(prefix)) throw new ConfigError(`--prefix: "${prefix}" must be 1–64 letters, digits, "_", "." or "-"`);
  const logLevel = (values['log-level'] as string | undefined) ?? env.HYPEREVOLVE_LOG_LEVEL ?? 'info';
  oneOf(logLevel, '--log-level', LOG_LEVELS);
  return { redis, prefix, logLevel };
}

function absolute(path: string | undefined): string | null {
  return path === undefined ? null : resolve(path);
}

/** Parses `scheduler <verb> [flags] [-- command…]`; throws ConfigError (exit 2) on misuse. */
export function loadConfig(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): SchedulerConfig {
  const [first, ...rest] = argv;
  if (first === undefined || first === '--help' || first === '-h' || first === 'help') {
    const topic = first === 'help' ? rest[0] : undefined;
    if (topic !== undefined && (VERBS as readonly string[]).includes(topic)) return { verb: 'help', text: helpFor(topic as Verb) };
    return { verb: 'help', text: helpFor(null) };
  }
  if (!(VERBS as readonly string[]).includes(first)) {
    throw new ConfigError(`unknown command ${quoteInput(first)}; expected one of: ${VERBS.join(', ')} (see scheduler --help)`);
  }
  const verb = first as Verb;
  // The training command's own flags go after --; say so when one lands before it.
  const hint = verb === 'enqueue' ? 'flags of the training command go after --; see scheduler enqueue --help' : `see scheduler ${verb} --help`;
  const parsed = parseFlags(rest, { ...COMMON_OPTIONS, ...VERB_OPTIONS[verb] }, hint, true);
  const values = parsed.values as Record<string, unknown>;
  if (values.help === true) return { verb: 'help', text: helpFor(verb) };

  const hasTerminator = parsed.terminator >= 0;
  const positionals = parsed.positionals;
  const beforeTerminator = hasTerminator ? positionals.slice(0, positionals.length - (parsed.args.length - parsed.terminator - 1)) : positionals;
  if (verb !== 'enqueue' && positionals.length > 0) {
    throw new ConfigError(`scheduler ${verb}: unexpected argument ${quoteInput(positionals[0] ?? '')}; see scheduler ${verb} --help`);
  }

  const str = (key: string): string | undefined => values[key] as string | undefined;

  if (verb === 'preview') {
    const population = str('population');
    if (population === undefined) throw new ConfigError('scheduler preview: --population is required: the evolve.csv to breed from, e.g. --population runs/evolve/exp/evolve.csv');
    return {
      verb,
      population: resolve(population),
      hypFile: absolute(str('hyp')),
      spaceFile: absolute(str('space')),
      parentStrategy: oneOf(str('parent'), '--parent', StrategyNameSchema.options) ?? DEFAULT_STRATEGY,
      count: integer(str('count'), '--count', 1) ?? 5,
      seed: integer(str('seed'), '--seed', 0) ?? 0,
      format: oneOf(str('format'), '--format', ['csv', 'jsonl'] as const) ?? 'csv',
      quiet: values.quiet === true,
      logLevel: str('log-level') ?? 'warn',
    };
  }

  const base = common(values, env);
  switch (verb) {
    case 'serve': {
      const token = str('http-token') ?? env.HYPEREVOLVE_HTTP_TOKEN ?? null;
      return {
        ...base,
        verb,
        lookahead: integer(str('lookahead'), '--lookahead', 0) ?? 1,
        tickMs: integer(str('tick-ms'), '--tick-ms', 10) ?? 250,
        reconcileMs: integer(str('reconcile-ms'), '--reconcile-ms', 100) ?? 3000,
        exportIntervalMs: integer(str('export-interval-ms'), '--export-interval-ms', 0) ?? 250,
        http: parseHttp(str('http')),
        httpToken: token === '' ? null : token,
        httpPublicRead: values['http-public-read'] === true,
        resultsLockMs: envMs(env, 'HYPEREVOLVE_LOCK_MS', 10_000),
        resultsStalledMs: envMs(env, 'HYPEREVOLVE_STALLED_MS', 5_000),
      };
    }
    case 'enqueue': {
      if (!hasTerminator) {
        throw new ConfigError('scheduler enqueue: no training command; put it after --, e.g. scheduler enqueue --generations 100 -- python train.py --epochs 10 --data coco128.yaml');
      }
      if (beforeTerminator.length > 0) {
        throw new ConfigError(`scheduler enqueue: unexpected argument ${quoteInput(beforeTerminator[0] ?? '')} before --; the training command goes after --`);
      }
      const command = positionals.slice(beforeTerminator.length);
      if (command.length === 0) throw new ConfigError('scheduler enqueue: the training command after -- is empty, e.g. -- python train.py --epochs 10');
      const generations = integer(str('generations'), '--generations', 1);
      if (generations === null) throw new ConfigError('scheduler enqueue: --generations N is required (how many trials to run, e.g. --generations 300)');
      const timeout = str('timeout');
      let timeoutMs: number | null | undefined;
      if (timeout !== undefined) {
        timeoutMs = timeout === 'none' || timeout === '0' ? null : parseDuration(timeout, '--timeout');
        if (timeoutMs !== null && timeoutMs < 1) throw new ConfigError(`--timeout: "${timeout}" must be longer than 0; use e.g. 2h, or none`);
      }
      return {
        ...base,
        verb,
        name: campaignName(str('name')),
        generations,
        hypFile: absolute(str('hyp')),
        spaceFile: absolute(str('space')),
        fitnessWeights: parseWeights(str('fitness-weights')),
        parentStrategy: oneOf(str('parent'), '--parent', StrategyNameSchema.options),
        seed: integer(str('seed'), '--seed', 0),
        adapter: oneOf(str('adapter'), '--adapter', AdapterSchema.options),
        timeoutMs,
        attempts: integer(str('attempts'), '--attempts', 1),
        outDir: absolute(str('out')),
        seedFrom: absolute(str('seed-from')),
        fastTrials: values['full-trials'] === true ? false : null,
        maxConsecutiveFailures: integer(str('max-failures'), '--max-failures', 1),
        quiet: values.quiet === true,
        command,
      };
    }
    case 'status': {
      const interval = str('interval');
      if (interval !== undefined && values.watch !== true) throw new ConfigError('--interval sets how often --watch redraws; add --watch, or leave --interval out for one snapshot');
      const watchIntervalMs = interval === undefined ? 2000 : parseDuration(interval, '--interval');
      if (watchIntervalMs < 100) throw new ConfigError(`--interval: ${interval} is too short to redraw; use 100ms or more, e.g. --interval 2s`);
      return {
        ...base,
        verb,
        name: str('name') === undefined ? null : campaignName(str('name')),
        json: values.json === true,
        watch: values.watch === true,
        watchIntervalMs,
      };
    }
    case 'export': {
      const out = str('out');
      if (out === undefined) throw new ConfigError('scheduler export: --out DIR is required (where evolve.csv and hyp_evolve.yaml go)');
      return { ...base, verb, name: requiredName(str('name'), verb), outDir: resolve(out) };
    }
    case 'list':
      return { ...base, verb, json: values.json === true };
    case 'best':
    case 'pause':
    case 'resume':
    case 'cancel':
      return { ...base, verb, name: requiredName(str('name'), verb) };
  }
}

function envMs(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 100) throw new ConfigError(`${name}: "${raw}" must be a whole number of milliseconds ≥ 100`);
  return n;
}

function requiredName(value: string | undefined, verb: string): string {
  if (value === undefined) throw new ConfigError(`scheduler ${verb}: --name is required (the campaign, e.g. --name exp; scheduler list shows them)`);
  return campaignName(value);
}
