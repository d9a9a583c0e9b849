import type { OptionTable } from '@hyperevolve/runtime';
import * as o from './options.js';

/**
 * Each verb: its options (from options.ts) and the prose of its `--help`. The flag list of the
 * help, the parser and the config type are derived from `options`.
 */
export interface VerbSpec<Table extends OptionTable = OptionTable> {
  readonly summary: string;
  readonly usage: string;
  /** What it does, shown above the flags. */
  readonly about: string;
  readonly options: Table;
  readonly example?: string;
  /** Verbs that take a command after `--`. */
  readonly command?: true;
}

const verb = <Table extends OptionTable>(spec: VerbSpec<Table>): VerbSpec<Table> => spec;

/** Every file a campaign's export directory gets, for serve's and export's help. */
export const EXPORT_FILES = `  evolve.csv                 every recorded trial: metrics, then hyps (YOLOv5's table)
  hyp_evolve.yaml            the best hyps, YOLOv5's format (train.py --hyp)
  evolve.png                 each hyp against fitness (YOLOv5's plot)
  best_hyperparameters.yaml  Ultralytics campaigns: the best hyps and the trials' optimizer (yolo cfg=)
  tune_results.ndjson        Ultralytics campaigns: the Tuner's table (enqueue --seed-from reads it)
  pruned.csv                 --prune campaigns: the trials stopped at a rung`;

export const VERB_SPECS = {
  serve: verb({
    summary: 'the long-lived process: breeds candidates late, records results,\nwrites each campaign\'s files to <out>/<campaign>/ (run one or more)',
    usage: 'scheduler serve [flags]',
    about: `Keeps every running campaign topped up with about one waiting trial per idle worker
(plus --lookahead), breeding each candidate only when it is about to be needed, records
results exactly once and rewrites the campaign's files in <out>/<campaign>/ (enqueue's --out):
${EXPORT_FILES}
Several replicas may run against one Redis.`,
    options: {
      ...o.CONNECTION,
      lookahead: o.lookahead,
      tickMs: o.tickMs,
      reconcileMs: o.reconcileMs,
      exportIntervalMs: o.exportIntervalMs,
      http: o.http,
      httpToken: o.httpToken,
      httpPublicRead: o.httpPublicRead,
      notifyUrl: o.notifyUrl,
      graceMs: o.serveGraceMs,
      resultsLockMs: o.resultsLockMs,
      resultsStalledMs: o.resultsStalledMs,
    },
  }),
  enqueue: verb({
    summary: 'create a campaign or add generations to it',
    usage: 'scheduler enqueue [flags] --generations N -- <training command…>',
    about: `Creates campaign --name (default exp) or, when it exists with the same settings, adds N
generations (trials) to its budget.`,
    options: {
      ...o.CONNECTION,
      name: o.newCampaignName,
      generations: o.generations,
      hypFile: o.hypFile,
      spaceFile: o.spaceFile,
      fitnessWeights: o.fitnessWeights,
      strategy: o.strategy,
      seed: o.campaignSeed,
      adapter: o.adapter,
      adapterParams: o.adapterParams,
      timeoutMs: o.timeoutMs,
      stallTimeoutMs: o.stallTimeoutMs,
      pruning: o.pruning,
      attempts: o.attempts,
      maxConsecutiveFailures: o.maxConsecutiveFailures,
      outDir: o.campaignOutDir,
      seedFrom: o.seedFrom,
      fastTrials: o.fastTrials,
      keepArtifacts: o.keepArtifacts,
      quiet: o.enqueueQuiet,
    },
    example: 'scheduler enqueue --generations 1000 -- python train.py --epochs 10 --data coco128.yaml --weights yolov5s.pt --cache',
    command: true,
  }),
  status: verb({
    summary: 'progress, best fitness, workers',
    usage: 'scheduler status [--name C] [--json] [--watch [--interval 2s]]',
    about: `Progress of every campaign (or one): a progress bar, running / waiting / failed trials with
the reasons of the latest failures and their logs, best fitness, trials per hour and ETA; then
every worker: host, device and GPU, current trial, last heartbeat, and workers gone silent.`,
    options: { ...o.CONNECTION, name: o.oneCampaign, json: o.json, watch: o.watch, outDir: o.statusOutDir },
  }),
  best: verb({
    summary: "print the best hyps of a campaign, in its trainer's own file",
    usage: 'scheduler best [--name C]',
    about: `Prints the best hyps in the file the campaign's trainer reads back: hyp_evolve.yaml (YOLOv5's
format: --hyp) for yolov5 and generic campaigns, best_hyperparameters.yaml (cfg=) for
Ultralytics ones. Without --name: the only campaign, when Redis holds one.`,
    options: { ...o.CONNECTION, name: o.campaignOrOnly },
  }),
  export: verb({
    summary: "write a campaign's files (evolve.csv, hyp_evolve.yaml, …) from Redis",
    usage: 'scheduler export [--name C] [--out DIR]',
    about: `Writes the campaign's files from Redis into DIR/<campaign>/, where enqueue --out DIR has serve
write them (without --out: the campaign's own directory, enqueue's --out); those of these that
its trainer and settings call for:
${EXPORT_FILES}
Without --name: the only campaign, when Redis holds one.`,
    options: { ...o.CONNECTION, name: o.campaignOrOnly, outDir: o.exportOutDir },
  }),
  pause: verb({
    summary: 'stop issuing new trials of a campaign (running ones finish)',
    usage: 'scheduler pause --name C',
    about: 'Stops issuing trials of campaign C; waiting trials are taken off the queue, running ones finish.',
    options: { ...o.CONNECTION, name: o.campaignOf('pause') },
  }),
  resume: verb({
    summary: 'continue a paused campaign',
    usage: 'scheduler resume --name C',
    about: `Resumes a paused campaign, also one the circuit breaker paused: after --max-failures failed
trials in a row, or after 3 trials in a row failed the same way (the same error and last log lines,
paths and numbers aside: fix the environment the pause reason names first). The failures so far
then stop counting as current ones: status shows "failed 0 (+N before the last resume)"; their
records stay. docs/failures.md has the details.`,
    options: { ...o.CONNECTION, name: o.campaignOf('resume') },
  }),
  cancel: verb({
    summary: 'stop a campaign for good',
    usage: 'scheduler cancel --name C',
    about: 'Cancels campaign C for good; its recorded trials and files stay.',
    options: { ...o.CONNECTION, name: o.campaignOf('cancel') },
  }),
  delete: verb({
    summary: 'forget a campaign, so its name can be used again (asks; its files stay)',
    usage: 'scheduler delete --name C [--yes]',
    about: `Deletes campaign C from Redis: its settings, trials and queued jobs. The files it exported
(<out>/C: evolve.csv, hyp_evolve.yaml, evolve.png) and the trial directories stay. Asks first
unless --yes. Refused while the campaign runs (cancel or pause it first) or while a worker is
still running one of its trials.`,
    options: { ...o.CONNECTION, name: o.campaignOf('delete'), yes: o.yes },
  }),
  list: verb({
    summary: 'all campaigns',
    usage: 'scheduler list [--json]',
    about: 'Lists all campaigns with status and progress.',
    options: { ...o.CONNECTION, json: o.json },
  }),
  preview: verb({
    summary: 'print the candidates the GA would breed next from an evolve.csv (no Redis)',
    usage: 'scheduler preview --population evolve.csv [flags] [-- <training command…>]',
    about: `Prints the candidates the GA would breed next from that population (no Redis needed):
a cheap way to sanity-check a search space before spending GPU hours. With --prune, prints on
stderr the pruning enqueue would store, from the same flags; the rungs that come from the
epoch count need the training command after -- (only its epoch count is read).`,
    options: {
      population: o.population,
      hypFile: o.hypFile,
      spaceFile: o.spaceFile,
      strategy: o.strategy,
      pruning: o.pruning,
      adapter: o.adapter,
      adapterParams: o.adapterParams,
      count: o.count,
      seed: o.previewSeed,
      format: o.format,
      quiet: o.previewQuiet,
      logLevel: o.previewLogLevel,
    },
    example: 'scheduler preview --population runs/evolve/exp/evolve.csv --prune asha --prune-param eta=4 -- python train.py --epochs 10',
    command: true,
  }),
} as const;

export type Verb = keyof typeof VERB_SPECS;
export const VERBS = Object.keys(VERB_SPECS) as Verb[];
