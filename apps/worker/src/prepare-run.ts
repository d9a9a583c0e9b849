import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from 'pino';
import type { TrialJob } from '@hyperevolve/contract';
import { shellQuoteArgv } from '@hyperevolve/runtime';
import { configureTrainer, writeHypYaml, type RunPlace, type RunSpec, type TrainerProfile } from '@hyperevolve/ga-core';
import { campaignGate, type CampaignGate } from './campaign-status.js';
import { deviceLabel } from './device-selection.js';
import type { TrialContext } from './trial-context.js';
import { createTrialDir } from './trial-dir.js';
import { TrialFailure } from './trial-failure.js';
import { runStart, runWithoutDir, type ResultStart, type RunIdentity } from './trial-results.js';

/** A run ready to start: its directory and files written, and marked on its trial. */
export interface PreparedRun {
  readonly kind: 'prepared';
  readonly profile: TrainerProfile;
  readonly run: RunSpec;
  readonly argv: readonly string[];
  readonly env: Record<string, string>;
  readonly logPath: string;
  readonly start: ResultStart;
  readonly log: Logger;
}

export type Preparation =
  | PreparedRun
  /** The trial is no longer this run's to start (its store refused the mark): nothing ran. */
  | { readonly kind: 'not-marked'; readonly reason: string }
  /** Its campaign is not running (paused, cancelled, done, gone), as the mark found it: nothing ran. */
  | { readonly kind: 'gated'; readonly gate: Exclude<CampaignGate, { action: 'run' }> }
  /** The worker, not the trainer, failed (a full disk, a workdir it may not write): spawn-error. */
  | { readonly kind: 'failed'; readonly start: ResultStart; readonly failure: TrialFailure; readonly error: unknown };

/**
 * Makes the run's directory, writes its hyp.yaml, command.txt and empty train.log, and marks the
 * run on its trial: everything between being handed the trial and starting its trainer.
 */
export async function prepareRun(trial: Omit<TrialJob, 'fitnessWeights'>, id: RunIdentity, context: TrialContext, parentLog: Logger): Promise<Preparation> {
  const { workdir, device, identity } = context;
  const profile = configureTrainer(trial.adapter, trial.adapterParams);
  let dir;
  try {
    dir = await createTrialDir(workdir, trial.campaign, trial.index, id.attempt);
  } catch (error) {
    return workerFailed(runWithoutDir(id, trial.command), `could not create a trial directory under ${join(workdir, trial.campaign)}`, error, identity.host);
  }
  const log = parentLog.child({ runName: dir.runName });
  const place: RunPlace = { command: trial.command, projectDir: dir.projectDir, runName: dir.runName, trialDir: dir.path };
  const run: RunSpec = {
    ...place,
    campaign: trial.campaign,
    index: trial.index,
    device: deviceLabel(device),
    hypPath: join(dir.path, 'hyp.yaml'),
    resultsPath: profile.resultsPath(place),
    epochLogPath: profile.epochLog.path(place),
    fastTrials: trial.fastTrials,
    // A campaign that keeps no plots has its trainer skip drawing them (where its profile knows how).
    plots: trial.keepArtifacts.mode === 'all',
    hyp: trial.hyp,
  };
  const { argv, env } = profile.command(run);
  const logPath = join(dir.path, 'train.log');
  const start = runStart(id, { runName: dir.runName, trialDir: dir.path, logPath, command: argv, started: true });

  // Marking the trial running (Redis) and writing its files (disk) overlap: both sit between
  // one trial's end and the next one's start on this device.
  const written = Promise.all([
    writeFile(run.hypPath, writeHypYaml(trial.hyp)),
    writeFile(join(dir.path, 'command.txt'), `${shellQuoteArgv(argv)}\n`),
    writeFile(logPath, ''),
  ]).then(() => null, (error: unknown) => ({ error }));
  // The mark also checks that the campaign is running (the gate), in the same round trip.
  const [marked, writeFailure] = await Promise.all([context.trials.start(trial.campaign, trial.index, {
    attempt: id.attempt,
    runName: dir.runName,
    worker: identity,
    device: deviceLabel(device),
    startedAt: start.startedAt,
    trialDir: dir.path,
    logPath,
    command: argv,
  }, { gate: true }), written]);
  if (!marked.marked) {
    await rm(dir.path, { recursive: true, force: true });
    if ('campaignStatus' in marked) {
      const gate = campaignGate(marked.campaignStatus, context.prefix, trial.campaign);
      if (gate.action !== 'run') return { kind: 'gated', gate };
    }
    return { kind: 'not-marked', reason: marked.reason };
  }
  if (writeFailure !== null) return workerFailed(start, `could not write the trial files in ${dir.path}`, writeFailure.error, identity.host);
  return { kind: 'prepared', profile, run, argv, env, logPath, start, log };
}

function workerFailed(start: ResultStart, what: string, error: unknown, host: string): Preparation {
  const failure = new TrialFailure('spawn-error', `${what} on ${host}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  return { kind: 'failed', start, failure, error };
}
