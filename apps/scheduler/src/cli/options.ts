import { CampaignNameSchema, DEFAULT_KEEP_ARTIFACTS, DEFAULT_PREFIX, describeKeepArtifacts, describeZodError, parseKeepArtifacts, type KeepArtifacts } from '@hyperevolve/contract';
import {
  ConfigError,
  choiceOption,
  connectionOptions,
  durationOption,
  envMillisecondsOption,
  integerOption,
  logLevelOption,
  option,
  parseDuration,
  quoteInput,
  parsedOption,
  pathOption,
  required,
  switchOption,
  textOption,
  type Option,
} from '@hyperevolve/runtime';
import { STRATEGY_NAMES } from '@hyperevolve/ga-core';
import { parseParams, type StrategyRequest } from './plugin-params.js';
import { allowedHostName } from '../http/host-policy.js';

/**
 * Every option of `scheduler`, each declared once: flag, value, help, default and check. The
 * verbs' tables (verbs.ts) pick from these; the parser, the config types, `--help` and the
 * defaults all come from them.
 */

export const CONNECTION = connectionOptions(DEFAULT_PREFIX);

function campaignName(text: string, from: string): string {
  const parsed = CampaignNameSchema.safeParse(text);
  if (!parsed.success) throw new ConfigError(`${from}: ${quoteInput(text)} is not a valid campaign name: ${describeZodError(parsed.error)}`);
  return parsed.data;
}

/** `--name` of a verb that needs an existing campaign. */
export function campaignOf(verb: string): Option<string> {
  return required(
    textOption({ flag: 'name', value: 'C', help: 'the campaign', check: campaignName }),
    `scheduler ${verb}: --name is required (the campaign, e.g. --name exp; scheduler list shows them)`,
  );
}

export const newCampaignName = textOption({ flag: 'name', value: 'C', help: 'campaign name', default: 'exp', check: campaignName });
export const oneCampaign = textOption({ flag: 'name', value: 'C', help: 'one campaign only', check: campaignName });

/** `--name` of a verb that takes the only campaign when there is one (best, export). */
export const campaignOrOnly = textOption({ flag: 'name', value: 'C', help: 'the campaign (default: the only one, when Redis holds one)', check: campaignName });

/** delete: no question asked. */
export const yes = switchOption({ flag: 'yes', short: 'y', help: 'delete without asking (needed when stdin is not a terminal)' });

export const json = switchOption({ flag: 'json', help: 'one stable JSON object (with --watch: one per line)' });

// serve
export const lookahead = integerOption({ flag: 'lookahead', min: 0, default: 1, help: 'extra waiting trials beyond idle workers (0 breeds strictly on demand, which makes a 1-worker run reproducible)' });
export const tickMs = integerOption({ flag: 'tick-ms', value: 'MS', min: 10, default: 250, help: 'how often to look for idle workers' });
export const reconcileMs = integerOption({ flag: 'reconcile-ms', value: 'MS', min: 100, default: 3000, help: 'how often to repair lost or failed jobs' });
export const exportIntervalMs = integerOption({ flag: 'export-interval-ms', value: 'MS', min: 0, default: 250, help: "least time between two rewrites of a campaign's files" });
/** --http and the Host names it answers besides its own (--http-allowed-hosts needs --http). */
export const http: Option<{ host: string; port: number; allowedHosts: string[] } | null> = option({
  flags: [
    {
      name: 'http',
      kind: 'string',
      value: 'HOST:PORT',
      help: 'serve the dashboard, e.g. 127.0.0.1:3000: campaign pages at /, Bull Board at /queues, Prometheus metrics at /metrics',
    },
    {
      name: 'http-allowed-hosts',
      kind: 'string',
      value: 'H,…',
      help: 'host names the dashboard answers to besides its address and localhost (others are refused: DNS rebinding), e.g. gpu-box.lan,scheduler.example.org',
    },
  ],
  read: (input) => {
    const text = input.flag('http') as string | undefined;
    const hosts = input.flag('http-allowed-hosts') as string | undefined;
    if (text === undefined) {
      if (hosts !== undefined) throw new ConfigError('--http-allowed-hosts names the hosts the dashboard answers to; add --http HOST:PORT to serve the dashboard, or leave it out');
      return null;
    }
    const match = /^(?:\[([^\]]+)\]|([^:]+)):(\d{1,5})$/.exec(text.trim());
    const port = Number(match?.[3]);
    if (match === null || port < 1 || port > 65_535) throw new ConfigError(`--http: "${text}" must be HOST:PORT, e.g. --http 127.0.0.1:3000`);
    const allowedHosts = (hosts ?? '')
      .split(',')
      .map((entry) => entry.trim())
      .filter((entry) => entry !== '')
      .map((entry) => allowedHostName(entry, '--http-allowed-hosts'));
    return { host: match[1] ?? match[2] ?? '127.0.0.1', port, allowedHosts };
  },
});
export const httpToken = parsedOption({
  flag: 'http-token',
  value: 'T',
  env: 'HYPEREVOLVE_HTTP_TOKEN',
  help: 'token for pause/resume/cancel over HTTP',
  parse: (text) => (text === '' ? null : text),
});
export const httpPublicRead = switchOption({ flag: 'http-public-read', help: 'let anyone read the dashboard when bound beyond loopback' });
export const notifyUrl = parsedOption({
  flag: 'notify-url',
  value: 'URL',
  env: 'HYPEREVOLVE_NOTIFY_URL',
  help: 'webhook (Slack-compatible: POST {"text": …}) told when a campaign is done or paused, and why',
  parse: (text, from) => {
    let url: URL;
    try {
      url = new URL(text);
    } catch {
      throw new ConfigError(`${from}: ${quoteInput(text.replace(/\/\/[^/@]*@/, '//***@'))} is not a URL; expected http(s)://…, e.g. a Slack incoming webhook https://hooks.slack.com/services/…`);
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new ConfigError(`${from}: scheme "${url.protocol}" is not supported; the webhook must be http:// or https://`);
    return url;
  },
});
/** How long a stop waits for the recordings and file writes under way; past it (Redis down) serve exits. */
export const serveGraceMs = durationOption({
  flag: 'grace',
  default: 10_000,
  help: 'on SIGTERM/SIGINT, how long to wait for the recordings and file writes under way; past it (Redis down) serve exits, logging what it could not save',
});
/** BullMQ lock of a result being recorded; a dead scheduler's recording is retried after it. */
export const resultsLockMs = envMillisecondsOption({ env: 'HYPEREVOLVE_LOCK_MS', default: 10_000, help: 'BullMQ lock of a result being recorded, in ms' });
export const resultsStalledMs = envMillisecondsOption({ env: 'HYPEREVOLVE_STALLED_MS', default: 5_000, help: 'BullMQ stalled-result check interval, in ms' });

// enqueue
export const generations = required(
  integerOption({ flag: 'generations', min: 1, help: 'trials to run' }),
  'scheduler enqueue: --generations N is required (how many trials to run, e.g. --generations 300)',
);
export const hypFile = pathOption({ flag: 'hyp', help: 'base hyps, a YOLOv5 hyp yaml', defaultText: "the trainer profile's: YOLOv5's hyp.scratch-low for yolov5" });
export const spaceFile = pathOption({ flag: 'space', help: 'search space yaml, "hyp: [gain, lower, upper]" per line', defaultText: "the trainer profile's: YOLOv5 v7.0's detection space for yolov5" });
export const fitnessWeights = parsedOption({
  flag: 'fitness-weights',
  value: 'W,…',
  help: "one weight per fitness metric of the trainer profile, in its order (yolov5: P, R, mAP@0.5, mAP@0.5:0.95; Ultralytics segment and pose: the box's four, then the mask's or pose's)",
  defaultText: "the trainer profile's: 0,0,0.1,0.9 for yolov5",
  // The count is checked against the trainer profile once the adapter is known (build-settings.ts).
  parse: (text, from): number[] => {
    const parts = text.split(',').map((p) => p.trim());
    const numbers = parts.map(Number);
    if (parts.some((p) => p === '') || numbers.some((n) => !Number.isFinite(n))) {
      throw new ConfigError(`${from}: "${text}" must be comma-separated numbers, one per fitness metric of the trainer profile (YOLOv5's default: 0,0,0.1,0.9)`);
    }
    if (numbers.some((n) => n < 0) || numbers.every((n) => n === 0)) throw new ConfigError(`${from}: "${text}" must be non-negative with at least one weight > 0`);
    return numbers;
  },
});
/** --strategy (its old name --parent) and its --strategy-param k=v: the strategy as given; campaign/choose-strategy.ts configures it. */
export const strategy: Option<StrategyRequest> = option({
  flags: [
    { name: 'strategy', kind: 'string', value: STRATEGY_NAMES.join('|'), help: "the breeding strategy (default: the adapter's own, ultralytics for the Ultralytics adapters, else single; docs/breeding-strategies.md)", once: true },
    { name: 'parent', kind: 'string', value: 'NAME', help: 'the same as --strategy (its name before strategies had params)', once: true },
    { name: 'strategy-param', kind: 'list', value: 'K=V', help: "one of the strategy's params, e.g. topN=10 (repeat for more; each strategy's are in docs/breeding-strategies.md)" },
  ],
  read: (input): StrategyRequest => {
    const given = (['strategy', 'parent'] as const).flatMap((flag) => {
      const text = input.flag(flag);
      return typeof text === 'string' ? [{ flag, text }] : [];
    });
    if (given.length > 1) throw new ConfigError('--strategy and --parent name the same setting; give one of them');
    const [chosen] = given;
    const name = chosen === undefined ? null : STRATEGY_NAMES.find((candidate) => candidate === chosen.text);
    if (chosen !== undefined && name === undefined) throw new ConfigError(`--${chosen.flag}: ${quoteInput(chosen.text)} is not one of ${STRATEGY_NAMES.join(', ')}`);
    const raw = input.flag('strategy-param');
    return { name: name ?? null, params: parseParams(Array.isArray(raw) ? raw : [], '--strategy-param', 'topN=10') };
  },
});
export const campaignSeed = integerOption({ flag: 'seed', value: 'S', min: 0, defaultText: 'random', help: 'campaign seed; fixes every candidate' });
export { adapter, adapterParams } from './adapter-option.js';
/** A trial's time limit: a duration, or null when not given, none or 0. */
function limitOption(flag: string, example: string, help: string): Option<number | null> {
  return option({
    flags: [{ name: flag, kind: 'string', value: 'DURATION', help }],
    read: (input) => {
      const text = input.flag(flag) as string | undefined;
      if (text === undefined || text === 'none' || text === '0') return null;
      const ms = parseDuration(text, `--${flag}`);
      if (ms < 1) throw new ConfigError(`--${flag}: "${text}" must be longer than 0; use e.g. ${example}, or none`);
      return ms;
    },
  });
}
/** null: no time limit. */
export const timeoutMs = limitOption('timeout', '2h', 'kill a trial after e.g. 2h (default none)');
/** null: never. */
export const stallTimeoutMs = limitOption('stall-timeout', '30m', 'stop a trial that reports no new epoch for e.g. 30m, as stalled (default none)');
export { pruning } from './prune-option.js';
export const attempts = integerOption({ flag: 'attempts', value: 'K', min: 1, default: 3, help: 'runs of a failing trial before it counts as failed' });
export const maxConsecutiveFailures = integerOption({ flag: 'max-failures', value: 'K', min: 1, default: 10, help: 'pause the campaign after K failed trials in a row (3 failing the same way pause it, unretried: docs/failures.md)' });
/** enqueue's --out when not given; status looks there for the files of campaigns Redis lost. */
const DEFAULT_OUT_DIR = 'runs/evolve';
export const campaignOutDir = pathOption({ flag: 'out', value: 'DIR', default: DEFAULT_OUT_DIR, help: 'where <name>/evolve.csv etc. are written' });
export const seedFrom = pathOption({ flag: 'seed-from', help: 'start from an existing YOLOv5 evolve.csv (resume a YOLOv5 run)' });
/** --full-trials turns YOLOv5's --noval --nosave off. */
export const fastTrials: Option<boolean> = option({
  flags: [{ name: 'full-trials', kind: 'boolean', help: 'do not add --noval --nosave (validate every epoch, keep weights)' }],
  read: (input) => input.flag('full-trials') !== true,
});

/** --keep-artifacts: what the trials' run directories keep (contract's keep-artifacts.ts). */
export const keepArtifacts: Option<KeepArtifacts> = option({
  flags: [{
    name: 'keep-artifacts',
    kind: 'string',
    value: 'none|best[:K]|all',
    help: `what each trial's run directory keeps once its result is recorded (default ${describeKeepArtifacts(DEFAULT_KEEP_ARTIFACTS)}): best:K the weights of the K fittest trials, none no weights, all everything (plots too); under best and none trials do not plot (YOLOv5 --noplots, Ultralytics plots=False) and the worker that ran a trial deletes its weights, plots and large files, keeping results.csv, hyp.yaml, command.txt and train.log (docs/disk-use.md)`,
  }],
  read: (input) => {
    const text = input.flag('keep-artifacts') as string | undefined;
    if (text === undefined) return { ...DEFAULT_KEEP_ARTIFACTS };
    const keep = parseKeepArtifacts(text);
    if (typeof keep === 'string') throw new ConfigError(`--keep-artifacts: ${keep}; use e.g. --keep-artifacts best:5, none or all`);
    return keep;
  },
});

export const enqueueQuiet = switchOption({ flag: 'quiet', short: 'q', help: 'no warnings about the hyps and the space (they are printed once, when the campaign is created)' });

// status
/** --watch and how often it redraws (--interval only with --watch). */
export const watch: Option<{ watch: boolean; watchIntervalMs: number }> = option({
  flags: [
    { name: 'watch', kind: 'boolean', help: 'redraw every --interval until Ctrl-C (to a pipe or a log: a new block each time, a standing warning only once)' },
    { name: 'interval', kind: 'string', value: 'DURATION', help: 'how often --watch redraws (default 2s)' },
  ],
  read: (input) => {
    const on = input.flag('watch') === true;
    const interval = input.flag('interval') as string | undefined;
    if (interval === undefined) return { watch: on, watchIntervalMs: 2000 };
    if (!on) throw new ConfigError('--interval sets how often --watch redraws; add --watch, or leave --interval out for one snapshot');
    const ms = parseDuration(interval, '--interval');
    if (ms < 100) throw new ConfigError(`--interval: ${interval} is too short to redraw; use 100ms or more, e.g. --interval 2s`);
    return { watch: true, watchIntervalMs: ms };
  },
});

/** Where status looks for the files of campaigns that are not in Redis (lost with its data). */
export const statusOutDir = pathOption({
  flag: 'out',
  value: 'DIR',
  default: DEFAULT_OUT_DIR,
  help: "where campaigns' files are (enqueue's --out): a campaign with an evolve.csv there that Redis does not have is reported, with how to restore it",
});

// export
/** null: the campaign's own (enqueue's --out). */
export const exportOutDir = pathOption({ flag: 'out', value: 'DIR', help: "where <name>/evolve.csv etc. are written, as enqueue's --out", defaultText: "the campaign's own: enqueue's --out" });

// preview
export const population = required(
  pathOption({ flag: 'population', help: 'a YOLOv5 evolve.csv to breed from' }),
  'scheduler preview: --population is required: the evolve.csv to breed from, e.g. --population runs/evolve/exp/evolve.csv',
);
export const count = integerOption({ flag: 'count', min: 1, default: 5, help: 'candidates to print' });
export const previewSeed = integerOption({ flag: 'seed', value: 'S', min: 0, default: 0, help: 'seed' });
export const format = choiceOption({ flag: 'format', choices: ['csv', 'jsonl'] as const, default: 'csv', help: "csv uses evolve.csv's hyp columns" });
export const previewLogLevel = logLevelOption('warn');
export const previewQuiet = switchOption({
  flag: 'quiet',
  short: 'q',
  help: "no warnings about --hyp and --space (printed on stderr after the candidates; YOLOv5's default hyps and space are not warned about)",
});
