import { PRUNE_MODES, STRATEGY_NAMES, TRAINER_PROFILES } from '@hyperevolve/ga-core';
import { ConfigError } from '@hyperevolve/runtime';
import { describe, expect, it } from 'vitest';
import { VERB_SPECS, VERBS } from './cli/verbs.js';
import { PRUNED_CSV } from './exports/pruned-csv.js';
import { loadConfig, type SchedulerConfig } from './config.js';

/**
 * The command line half of guarantee 5, without a process: every kind of flag misuse is a
 * ConfigError (exit 2) whose message names the flag and the fix. test/bad-input-cli.test.ts
 * proves with real processes that such an error exits 2 and writes nothing.
 */

const TRAIN = ['--', 'python', 'train.py', '--epochs', '3'];
const enqueue = (...flags: string[]): string[] => ['enqueue', ...flags, ...TRAIN];
const ENV = {};

function refusal(argv: readonly string[], env: Record<string, string> = ENV): ConfigError {
  try {
    loadConfig(argv, env);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error(`expected a ConfigError for ${argv.join(' ')}`);
}

function config<V extends SchedulerConfig['verb']>(verb: V, argv: readonly string[], env: Record<string, string> = ENV): Extract<SchedulerConfig, { verb: V }> {
  const loaded = loadConfig(argv, env);
  if (loaded.verb !== verb) throw new Error(`expected ${verb}, got ${loaded.verb}`);
  return loaded as Extract<SchedulerConfig, { verb: V }>;
}

const CASES: [name: string, argv: readonly string[], message: RegExp, env?: Record<string, string>][] = [
  ['unknown flag, with a suggestion', enqueue('--generation', '5'), /^unknown flag --generation; did you mean --generations\? \(flags of the training command go after --; see scheduler enqueue --help\)$/],
  ['a training flag before --', ['enqueue', '--generations', '5', '--epochs', '3', '--', 'python', 'train.py'], /unknown flag --epochs \(flags of the training command go after --/],
  ['missing value at the end', ['enqueue', '--name'], /--name needs a value, as in --name <value>/],
  ['missing value before --', ['enqueue', '--generations', ...TRAIN], /--generations needs a value, as in --generations <value>/],
  ['no --generations', enqueue(), /^scheduler enqueue: --generations N is required \(how many trials to run, e\.g\. --generations 300\)$/],
  ['zero generations', enqueue('--generations', '0'), /^--generations: 0 is out of range; expected an integer ≥ 1, e\.g\. --generations 10$/],
  ['negative generations', enqueue('--generations', '-5'), /--generations: -5 is out of range; expected an integer ≥ 1/],
  ['fractional generations', enqueue('--generations', '2.5'), /--generations: "2\.5" is not a whole number; expected an integer ≥ 1/],
  ['text generations', enqueue('--generations', 'ten'), /--generations: "ten" is not a whole number/],
  ['bad --timeout unit', enqueue('--generations', '5', '--timeout', '5x'), /--timeout: "5x" is not a duration; use e\.g\. 90s, 15m, 2h, 1h30m or 500ms/],
  ['negative --timeout', enqueue('--generations', '5', '--timeout', '-1s'), /--timeout: "-1s" is not a duration/],
  ['zero --timeout', enqueue('--generations', '5', '--timeout', '0ms'), /--timeout: "0ms" must be longer than 0; use e\.g\. 2h, or none/],
  ['bad --stall-timeout unit', enqueue('--generations', '5', '--stall-timeout', '30x'), /--stall-timeout: "30x" is not a duration/],
  ['zero --stall-timeout', enqueue('--generations', '5', '--stall-timeout', '0ms'), /--stall-timeout: "0ms" must be longer than 0; use e\.g\. 30m, or none/],
  ['bad --prune', enqueue('--generations', '5', '--prune', 'hyperband'), new RegExp(`^--prune: "hyperband" is not a prune mode; use one of ${PRUNE_MODES.join(', ')} \\(e\\.g\\. --prune median\\)$`)],
  ['--prune-param without =', enqueue('--generations', '5', '--prune', 'asha', '--prune-param', 'eta'), /^--prune-param: "eta" is not KEY=VALUE; use e\.g\. --prune-param eta=4$/],
  ['--prune-param twice', enqueue('--generations', '5', '--prune', 'asha', '--prune-param', 'eta=3', '--prune-param', 'eta=4'), /^--prune-param: eta is given twice; give each param once$/],
  ['a shorthand and --prune-param for one param', enqueue('--generations', '5', '--prune', 'asha', '--prune-eta', '3', '--prune-param', 'eta=4'), /^--prune-eta and --prune-param eta=… set the same param; give one of them$/],
  // A param's value (rungs, eta, window) is the rule's to check: enqueue-inputs.test.ts.
  ['an empty fitness weight', enqueue('--generations', '5', '--fitness-weights', '1,,3'), /--fitness-weights: "1,,3" must be comma-separated numbers, one per fitness metric of the trainer profile \(YOLOv5's default: 0,0,0\.1,0\.9\)/],
  ['text fitness weights', enqueue('--generations', '5', '--fitness-weights', 'a,b,c,d'), /--fitness-weights: "a,b,c,d" must be comma-separated numbers/],
  ['negative fitness weight', enqueue('--generations', '5', '--fitness-weights', '-1,0,0,1'), /--fitness-weights: "-1,0,0,1" must be non-negative with at least one weight > 0/],
  ['all fitness weights 0', enqueue('--generations', '5', '--fitness-weights', '0,0,0,0'), /--fitness-weights: "0,0,0,0" must be non-negative with at least one weight > 0/],
  ['bad --parent', enqueue('--generations', '5', '--parent', 'best'), new RegExp(`--parent: "best" is not one of ${STRATEGY_NAMES.join(', ')}`)],
  ['bad --strategy', enqueue('--generations', '5', '--strategy', 'best'), new RegExp(`--strategy: "best" is not one of ${STRATEGY_NAMES.join(', ')}`)],
  ['--strategy and --parent together', enqueue('--generations', '5', '--strategy', 'single', '--parent', 'weighted'), /^--strategy and --parent name the same setting; give one of them$/],
  ['--strategy-param without =', enqueue('--generations', '5', '--strategy-param', 'topN'), /^--strategy-param: "topN" is not KEY=VALUE; use e\.g\. --strategy-param topN=10$/],
  ['--strategy-param twice', enqueue('--generations', '5', '--strategy-param', 'topN=3', '--strategy-param', 'topN=4'), /^--strategy-param: topN is given twice; give each param once$/],
  ['bad --adapter', enqueue('--generations', '5', '--adapter', 'pytorch'), /--adapter: "pytorch" is not one of yolov5, generic/],
  ['no training command', ['enqueue', '--generations', '5'], /^scheduler enqueue: no training command; put it after --, e\.g\. scheduler enqueue --generations 100 -- python train\.py/],
  ['empty training command', ['enqueue', '--generations', '5', '--'], /the training command after -- is empty, e\.g\. -- python train\.py/],
  ['an argument before --', ['enqueue', '--generations', '5', 'python', '--', 'train.py'], /^scheduler enqueue: unexpected argument "python" before --; the training command goes after --$/],
  ['zero --attempts', enqueue('--generations', '5', '--attempts', '0'), /--attempts: 0 is out of range; expected an integer ≥ 1/],
  ['zero --max-failures', enqueue('--generations', '5', '--max-failures', '0'), /--max-failures: 0 is out of range; expected an integer ≥ 1/],
  ['bad campaign name', enqueue('--generations', '5', '--name', '../etc'), /--name: "\.\.\/etc" is not a valid campaign name: a campaign name is 1–64 letters/],
  ['a 10,000-character campaign name is cut, not echoed', enqueue('--generations', '5', '--name', 'a'.repeat(10_000)), /^--name: "a{80}…" \(10000 characters\) is not a valid campaign name: a campaign name is 1–64 letters[^\n]{0,200}$/],
  ['control characters in a campaign name are shown escaped', enqueue('--generations', '5', '--name', 'x\u001b]0;owned\u0007'), /--name: "x\\x1b\]0;owned\\x07" is not a valid campaign name/],
  ['control characters in an unknown choice are shown escaped', enqueue('--generations', '5', '--adapter', 'x\u001b[2J'), /^--adapter: "x\\x1b\[2J" is not one of /],
  ['a verb with a typo', ['enqeue', '--generations', '5'], /^unknown command "enqeue"; did you mean enqueue\? \(commands: serve, enqueue, .*; see scheduler --help\)$/],
  ['a verb cut short', ['stat'], /^unknown command "stat"; did you mean status\?/],
  ['a verb like none', ['frobnicate'], /^unknown command "frobnicate" \(commands: serve, enqueue, .*delete.*; see scheduler --help\)$/],
  ['a switch given a value', ['status', '--json=yes'], /--json is a switch and takes no value; write just --json/],
  ['a stray argument', ['list', 'all'], /^scheduler list: unexpected argument "all"; see scheduler list --help$/],
  ['serve --http without a port', ['serve', '--http', 'localhost'], /--http: "localhost" must be HOST:PORT, e\.g\. --http 127\.0\.0\.1:3000/],
  ['serve --http-allowed-hosts without --http', ['serve', '--http-allowed-hosts', 'gpu-box.lan'], /^--http-allowed-hosts names the hosts the dashboard answers to; add --http HOST:PORT/],
  ['serve --http-allowed-hosts naming a URL', ['serve', '--http', '127.0.0.1:3000', '--http-allowed-hosts', 'ok.lan,http://x/y'], /^--http-allowed-hosts: "http:\/\/x\/y" is not a host name; give names as the browser's address bar shows them/],
  ['serve --grace not a duration', ['serve', '--grace', 'soon'], /^--grace: "soon" is not a duration/],
  ['serve --tick-ms below its floor', ['serve', '--tick-ms', '5'], /--tick-ms: 5 is out of range; expected an integer ≥ 10/],
  ['serve: a bad lock time', ['serve'], /^HYPEREVOLVE_LOCK_MS: "soon" is not a whole number of milliseconds ≥ 100; e\.g\. HYPEREVOLVE_LOCK_MS=10000$/, { HYPEREVOLVE_LOCK_MS: 'soon' }],
  ['status --interval without --watch', ['status', '--interval', '1s'], /^--interval sets how often --watch redraws; add --watch, or leave --interval out/],
  ['status --watch --interval 0', ['status', '--watch', '--interval', '0'], /^--interval: 0 is too short to redraw; use 100ms or more/],
  ['pause without --name', ['pause'], /^scheduler pause: --name is required \(the campaign, e\.g\. --name exp; scheduler list shows them\)$/],
  ['delete without --name', ['delete', '--yes'], /^scheduler delete: --name is required/],
  ['preview without --population', ['preview'], /^scheduler preview: --population is required: the evolve\.csv to breed from/],
  ['preview --format', ['preview', '--population', 'e.csv', '--format', 'xml'], /--format: "xml" is not one of csv, jsonl/],
  ['preview: an argument without --', ['preview', '--population', 'e.csv', 'train.py'], /^scheduler preview: unexpected argument "train\.py"; a training command \(for --prune's rungs\) goes after --$/],
  ['preview: an empty command after --', ['preview', '--population', 'e.csv', '--'], /^scheduler preview: the training command after -- is empty/],
  ['--log-level', ['list', '--log-level', 'loud'], /^--log-level: "loud" is not a log level; use one of fatal, error, warn, info, debug, trace, silent$/],
  ['--notify-url not a URL', ['serve', '--notify-url', 'hooks.slack.com/x'], /^--notify-url: "hooks\.slack\.com\/x" is not a URL; expected http\(s\):\/\/…/],
  ['--notify-url not http', ['serve', '--notify-url', 'ftp://h/x'], /^--notify-url: scheme "ftp:" is not supported; the webhook must be http:\/\/ or https:\/\//],
  ['--log-format', ['serve', '--log-format', 'pretty'], /^--log-format: "pretty" is not a log format; use one of auto, text, json$/],
  ['--prefix', ['list', '--prefix', 'has space'], /^--prefix: "has space" is not a key prefix; use 1–64 letters/],
  ['HYPEREVOLVE_PREFIX', ['list'], /^HYPEREVOLVE_PREFIX: "a b" is not a key prefix/, { HYPEREVOLVE_PREFIX: 'a b' }],
  ['REDIS_URL not a URL', ['list'], /^REDIS_URL: "not a url" is not a URL; expected redis:\/\/\[user:password@\]host:port\[\/db\] or rediss:\/\/… for TLS/, { REDIS_URL: 'not a url' }],
  ['REDIS_URL wrong scheme', ['status'], /^REDIS_URL: scheme "http:" is not supported; expected redis:\/\/ or rediss:\/\/ \(TLS\)/, { REDIS_URL: 'http://127.0.0.1:6379' }],
  ['--redis-url with a text database', ['list', '--redis-url', 'redis://127.0.0.1:6379/abc'], /^--redis-url: database "abc" must be a number, as in redis:\/\/host:6379\/0/],
  ['REDIS_URL with a password in a bad URL', ['list'], /^REDIS_URL: "redis\/\/\*\*\*@x" is not a URL/, { REDIS_URL: 'redis//:hunter2@x' }],
  ['--redis-cluster not host:port', ['list', '--redis-cluster', 'r1'], /^--redis-cluster: "r1" is not host:port; expected host:port\[,host:port…\]/],
  ['REDIS_URL and REDIS_CLUSTER_NODES both set', ['list'], /^REDIS_URL and REDIS_CLUSTER_NODES are both set; unset REDIS_URL to use the cluster/, { REDIS_URL: 'redis://a:1', REDIS_CLUSTER_NODES: 'b:2' }],
  ['--redis-url and --redis-cluster both given', ['list', '--redis-url', 'redis://a:1', '--redis-cluster', 'b:2'], /^--redis-url and --redis-cluster were both given/],
];

describe('scheduler flags: misuse is a ConfigError (exit 2) naming the flag and the fix', () => {
  it.each(CASES)('%s', (_name, argv, message, env) => {
    const error = refusal(argv, env);
    expect(error.exitCode).toBe(2);
    expect(error.message).toMatch(message);
    expect(error.message).not.toContain('hunter2');
  });
});

describe('scheduler flags: values and defaults come from the option table', () => {
  it('fills every enqueue default and keeps the training command after --', () => {
    const enq = config('enqueue', enqueue('--generations', '7'));
    expect(enq).toMatchObject({
      name: 'exp',
      generations: 7,
      hypFile: null,
      spaceFile: null,
      fitnessWeights: null,
      strategy: { name: null, params: {} }, // the adapter's: yolov5's single, Ultralytics' ultralytics
      seed: null,
      // Detected from the command when the campaign is built (ga-core's resolveTrainer).
      adapter: null,
      timeoutMs: null,
      attempts: 3,
      maxConsecutiveFailures: 10,
      seedFrom: null,
      fastTrials: true,
      command: ['python', 'train.py', '--epochs', '3'],
      redis: { kind: 'single', url: 'redis://127.0.0.1:6379' },
      prefix: 'hyperevolve',
      logLevel: 'info',
    });
    expect(enq.outDir).toMatch(/^\/.*\/runs\/evolve$/);
  });

  it('reads the given enqueue flags, a negative seed refused and a --seed=0 kept', () => {
    const enq = config('enqueue', enqueue('--generations', '7', '--name', 'b', '--seed', '0', '--timeout', '1h30m', '--fitness-weights', '0,0,1,0', '--parent', 'weighted', '--adapter', 'generic', '--full-trials', '--hyp', 'h.yaml'));
    expect(enq).toMatchObject({ name: 'b', seed: 0, timeoutMs: 5_400_000, fitnessWeights: [0, 0, 1, 0], strategy: { name: 'weighted', params: {} }, adapter: 'generic', fastTrials: false });
    expect(config('enqueue', enqueue('--generations', '1', '--strategy', 'single', '--strategy-param', 'topN=10', '--strategy-param', 'sigma=0.3')).strategy).toEqual({ name: 'single', params: { topN: 10, sigma: 0.3 } });
    expect(enq.hypFile).toMatch(/^\/.*\/h\.yaml$/);
    expect(config('enqueue', enqueue('--generations', '1', '--timeout', 'none')).timeoutMs).toBeNull();
    expect(config('enqueue', enqueue('--generations', '1', '--stall-timeout', '30m')).stallTimeoutMs).toBe(1_800_000);
    expect(config('enqueue', enqueue('--generations', '1')).stallTimeoutMs).toBeNull();
    expect(config('enqueue', enqueue('--generations', '1')).pruning).toEqual({ name: 'none', params: {}, flags: {} });
    // The shorthands are --prune-param k=v, remembered by flag so that a refusal names the one given.
    expect(config('enqueue', enqueue('--generations', '1', '--prune', 'asha', '--prune-rungs', '1, 4,9', '--prune-eta', '2.5')).pruning).toEqual({
      name: 'asha',
      params: { rungs: '1, 4,9', eta: 2.5 },
      flags: { rungs: '--prune-rungs', eta: '--prune-eta' },
    });
    expect(config('enqueue', enqueue('--generations', '1', '--prune', 'fast', '--prune-window', 'all')).pruning.params).toEqual({ window: 'all' });
    expect(config('enqueue', enqueue('--generations', '1', '--prune', 'asha', '--prune-param', 'eta=4', '--prune-param', 'window=24')).pruning).toEqual({
      name: 'asha',
      params: { eta: 4, window: 24 },
      flags: { eta: '--prune-param', window: '--prune-param' },
    });
    expect(refusal(enqueue('--generations', '1', '--seed', '-1')).message).toMatch(/--seed: -1 is out of range; expected an integer ≥ 0/);
  });

  it('fills serve, status and preview defaults; later flags win where a flag may repeat', () => {
    expect(config('serve', ['serve'], { HYPEREVOLVE_HTTP_TOKEN: 's3' })).toMatchObject({ lookahead: 1, tickMs: 250, reconcileMs: 3000, exportIntervalMs: 250, http: null, httpToken: 's3', httpPublicRead: false, graceMs: 10_000, resultsLockMs: 10_000, resultsStalledMs: 5_000 });
    expect(config('serve', ['serve', '--reconcile-ms', '1000', '--http', '[::1]:3000', '--reconcile-ms', '500'])).toMatchObject({ reconcileMs: 500, http: { host: '::1', port: 3000 } });
    expect(config('serve', ['serve', '--http', '127.0.0.1:3000']).http).toEqual({ host: '127.0.0.1', port: 3000, allowedHosts: [] });
    expect(config('serve', ['serve', '--http', '127.0.0.1:3000', '--http-allowed-hosts', 'Gpu-Box.lan:8080, proxy.example.org']).http?.allowedHosts).toEqual(['gpu-box.lan', 'proxy.example.org']);
    expect(config('serve', ['serve', '--grace', '2m']).graceMs).toBe(120_000);
    expect(config('status', ['status'])).toMatchObject({ name: null, json: false, watch: false, watchIntervalMs: 2000 });
    expect(config('status', ['status', '--watch', '--interval', '250ms', '--name', 'x'])).toMatchObject({ name: 'x', watch: true, watchIntervalMs: 250 });
    const preview = config('preview', ['preview', '--population', 'e.csv']);
    expect(preview).toMatchObject({ hypFile: null, spaceFile: null, strategy: { name: null, params: {} }, pruning: { name: 'none', params: {} }, count: 5, seed: 0, format: 'csv', logLevel: 'warn', command: null });
    expect(preview.population).toMatch(/^\/.*\/e\.csv$/);
    // The plug-in flags read alike for preview and enqueue, the training command too.
    const flags = ['--strategy', 'single', '--strategy-param', 'topN=3', '--prune', 'asha', '--prune-param', 'eta=4', '--prune-rungs', '1,3'];
    const shown = config('preview', ['preview', '--population', 'e.csv', ...flags, '--', 'python', 'train.py', '--epochs', '10']);
    const stored = config('enqueue', ['enqueue', '--generations', '1', ...flags, '--', 'python', 'train.py', '--epochs', '10']);
    expect(shown.pruning).toEqual(stored.pruning);
    expect(shown.strategy).toEqual(stored.strategy);
    expect(shown.command).toEqual(stored.command);
  });

  it('takes Redis from the flag before the environment, and a cluster from REDIS_CLUSTER_NODES', () => {
    expect(config('list', ['list', '--redis-url', 'redis://a:1'], { REDIS_URL: 'redis://b:2' }).redis).toMatchObject({ kind: 'single', url: 'redis://a:1' });
    expect(config('list', ['list'], { REDIS_CLUSTER_NODES: 'n1:7000,n2:7001', REDIS_URL: '' }).redis).toMatchObject({ kind: 'cluster', nodes: [{ host: 'n1', port: 7000 }, { host: 'n2', port: 7001 }] });
  });

  it('answers --help for every verb with every flag of its table and the defaults the table declares', () => {
    for (const verb of VERBS) {
      const help = loadConfig([verb, '--help']);
      if (help.verb !== 'help') throw new Error('expected help');
      for (const option of Object.values(VERB_SPECS[verb].options)) for (const flag of option.flags) expect(help.text, verb).toContain(`--${flag.name}`);
    }
    const enqueueHelp = loadConfig(['help', 'enqueue']);
    expect(enqueueHelp.verb === 'help' && enqueueHelp.text).toMatch(/--attempts K\s+runs of a failing trial before it counts as failed \(default 3\)/);
    const overview = loadConfig([]);
    expect(overview.verb === 'help' && overview.text).toMatch(/Commands:\n {2}serve/);
  });

  it('scheduler --help, serve --help and export --help list every file an export directory gets', () => {
    const files = new Set<string>([...Object.values(TRAINER_PROFILES).flatMap((profile) => profile.exports), PRUNED_CSV]);
    for (const argv of [[], ['serve', '--help'], ['export', '--help']]) {
      const help = loadConfig(argv);
      for (const file of files) expect(help.verb === 'help' && help.text, `${argv.join(' ')}: ${file}`).toMatch(new RegExp(`^ {2}${file.replace('.', '\\.')} `, 'm'));
    }
  });
});
