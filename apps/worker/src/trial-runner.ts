import type { Logger } from 'pino';
import { CampaignSettingsSchema, campaignKeys, commandProgram, metricsToWire, type TrialJob, type WorkerRecord } from '@hyperevolve/contract';
import { fitness as weighFitness, formatG } from '@hyperevolve/ga-core';
import { readCampaignGate, type CampaignGate } from './campaign-status.js';
import { completeLegacyJob, type CompleteTrialJob } from './legacy-job.js';
import { measureRun } from './measure-run.js';
import { networkAttemptFailure, offlineTrainerEnv } from './offline/offline-guard.js';
import { prepareRun, type PreparedRun } from './prepare-run.js';
import { repeatsCampaignFailure } from './repeated-failure.js';
import { RungJudge } from './rung-judge.js';
import { RunEpochs } from './run-epochs.js';
import { spawnRun } from './spawn-run.js';
import { StallWatch } from './stall-watch.js';
import { stoppedWithWorker } from './stopped-with-worker.js';
import type { DeviceState, TrialContext } from './trial-context.js';
import { TrialFailure } from './trial-failure.js';
import { failedResult, runWithoutDir, type RunIdentity } from './trial-results.js';

/** One run of a trial as the queue hands it over. */
export interface TrialTicket {
  readonly trial: TrialJob;
  /** 1-based. */
  readonly attempt: number;
  /** No further attempt follows a failure of this one. */
  readonly finalAttempt: boolean;
  readonly jobId: string | undefined;
}

/** How a trial job ends on this worker; the queue processor turns each into a queue move. */
export type TrialOutcome =
  /**
   * Not run, and never to be (campaign cancelled, done or gone; the trial no longer this run's).
   * `campaign`: maybe recorded by a run whose job did not complete (its files are written again).
   */
  | { readonly kind: 'skipped'; readonly reason: string; readonly campaign?: string }
  /** The campaign is paused: look again later, without counting an attempt. */
  | { readonly kind: 'deferred' }
  /** This worker may not run the campaign's command: for another worker, without counting an attempt. */
  | { readonly kind: 'handed-back' }
  /** The run was interrupted, or outlived this worker's GPU lease: back to the queue, no result, no attempt counted. */
  | { readonly kind: 'returned' }
  /** Succeeded or pruned; its result is recorded here (`recorded`) or posted (null). */
  | { readonly kind: 'ran'; readonly runName: string; readonly recorded: WorkerRecord | null }
  /** Failed; its result is posted. Retried unless final or unrecoverable. */
  | { readonly kind: 'failed'; readonly failure: TrialFailure };

/**
 * One trial's life on this device, free of the queue: the campaign's live state, the allow-list,
 * the run's files, its trainer (with the lease, the epochs and one stop verdict: stalled, pruned
 * or interrupted), its metrics and its posted result.
 */
export async function runTrial(ticket: TrialTicket, context: TrialContext, state: DeviceState): Promise<TrialOutcome> {
  const log = context.log.child({ campaign: ticket.trial.campaign, index: ticket.trial.index });
  const id: RunIdentity = { trial: ticket.trial, attempt: ticket.attempt, worker: context.identity };
  const allowed = context.allowList.allows(ticket.trial.command);
  if (!allowed || !state.seenRunning.has(ticket.trial.campaign)) {
    // A trial of a campaign that is not running is not this worker's to refuse.
    const gate = await readCampaignGate(context.redis, context.prefix, ticket.trial.campaign);
    if (gate.action !== 'run') return gated(gate, ticket, log);
    if (!allowed) return refuseCommand(ticket, id, context, state, log);
    state.seenRunning.add(ticket.trial.campaign);
  }

  const trial = await completeLegacyJob(ticket.trial, context.redis, context.prefix);
  // From a campaign's second trial on, its status is checked by the run's mark (prepareRun) alone.
  const prepared = await prepareRun(trial, id, context, log);
  if (prepared.kind === 'gated') return gated(prepared.gate, ticket, log);
  if (prepared.kind === 'not-marked') {
    log.warn({ jobId: ticket.jobId, reason: prepared.reason }, 'completing the trial job without running it');
    return { kind: 'skipped', reason: prepared.reason, campaign: trial.campaign };
  }
  if (prepared.kind === 'failed') {
    log.error({ err: prepared.error, final: ticket.finalAttempt }, prepared.failure.message);
    await context.results.post(failedResult(prepared.start, prepared.failure, ticket.finalAttempt));
    return { kind: 'failed', failure: prepared.failure };
  }
  return runPrepared(trial, ticket, prepared, context, state);
}

/** A trial of a campaign that is not running: completed without running (cancelled, done, gone), or back to the queue for later (paused). */
function gated(gate: Exclude<CampaignGate, { action: 'run' }>, ticket: TrialTicket, log: Logger): TrialOutcome {
  if (gate.action === 'skip') {
    log.info({ jobId: ticket.jobId, reason: gate.reason }, 'completing the trial job without running it');
    // Named: the campaign may have ended with this trial, recorded by a run whose worker died before completing its job.
    return { kind: 'skipped', reason: gate.reason, campaign: ticket.trial.campaign };
  }
  log.info({ jobId: ticket.jobId }, 'campaign is paused; handing the trial back to the queue');
  return { kind: 'deferred' };
}

/**
 * A trial of the campaign's own command waits for a worker that allows it (the scheduler queues
 * such trials only while one is alive); any other command was not written by the scheduler, and
 * is refused for good.
 */
async function refuseCommand(ticket: TrialTicket, id: RunIdentity, context: TrialContext, state: DeviceState, log: Logger): Promise<TrialOutcome> {
  const { trial } = ticket;
  if (await isCampaignCommand(trial, context)) {
    const first = !state.refusedCampaigns.has(trial.campaign);
    state.refusedCampaigns.add(trial.campaign);
    const message = `this worker does not allow \`${commandProgram(trial.command)}\` (it allows ${context.allowList.describe()}); ` +
      'handing the trial back for a worker that does, without counting an attempt';
    if (first) log.warn({ jobId: ticket.jobId }, message);
    else log.debug({ jobId: ticket.jobId }, message);
    return { kind: 'handed-back' };
  }
  const failure = new TrialFailure('command-not-allowed',
    `the worker ${context.identity.id} does not allow the command ${JSON.stringify(trial.command.join(' '))}; ` +
      `allowed prefixes: ${context.allowList.describe()}. Start the worker with --allow-command "<prefix>" for it`);
  log.error({ jobId: ticket.jobId, command: trial.command }, failure.message);
  await context.results.post(failedResult(runWithoutDir(id, trial.command), failure, true));
  return { kind: 'failed', failure };
}

/** Whether the job's command is its campaign's: the scheduler's own job, not one written by hand. */
async function isCampaignCommand(trial: TrialJob, context: TrialContext): Promise<boolean> {
  const raw = await context.redis.get(campaignKeys(context.prefix, trial.campaign).config);
  if (raw === null) return false;
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    return false;
  }
  const parsed = CampaignSettingsSchema.pick({ command: true }).safeParse(json);
  return parsed.success && parsed.data.command.length === trial.command.length && parsed.data.command.every((token, i) => token === trial.command[i]);
}

async function runPrepared(trial: CompleteTrialJob, ticket: TrialTicket, prepared: PreparedRun, context: TrialContext, state: DeviceState): Promise<TrialOutcome> {
  const { run, start, log, logPath, profile } = prepared;
  context.heartbeat.trialStarted(`${trial.campaign}/${trial.index}`, start.startedAt);
  log.info({ trialDir: run.trialDir, timeoutMs: trial.timeoutMs }, 'trial started');
  const stallMs = trial.stallTimeoutMs;
  const stall = stallMs === null ? undefined : new StallWatch(stallMs, () => {
    log.warn({ stallMs }, 'no new epoch within the campaign\'s --stall-timeout; stopping the trainer');
    state.control.stop({ kind: 'stalled', stallMs });
  });
  const epochs = new RunEpochs({
    trial,
    profile,
    runName: run.runName,
    path: run.epochLogPath,
    trialDir: run.trialDir,
    trials: context.trials,
    rungs: new RungJudge({ trial, trials: context.trials }),
    log,
    seen: () => stall?.progress(),
    prune: (at) => state.control.stop({ kind: 'pruned', at }),
  });
  epochs.start();
  stall?.start();
  let outcome;
  try {
    const offline = context.offline === true ? offlineTrainerEnv(context.trainerEnv, run.trialDir) : {};
    const ended = await spawnRun(context, state, { argv: prepared.argv, env: { ...offline, ...prepared.env }, logPath, timeoutMs: trial.timeoutMs }, log);
    outcome = stoppedWithWorker(ended, state.control.stopRequested);
  } finally {
    context.heartbeat.trialEnded(Date.now());
    stall?.stop();
    // Before the result is posted: the epochs the trainer wrote last belong to the running trial.
    // An interrupted run is handed back to run again: its last epochs are not wanted, and recording
    // them could hold up the hand-back while Redis is gone (the worker stopped with Redis down).
    if (outcome?.kind === 'interrupted') epochs.abandon();
    else await epochs.stop();
  }

  const guard = context.leaseGuard;
  if (guard !== undefined && !guard.held()) {
    // The lease lapsed or went to another worker before this run's end was seen here (this
    // worker was frozen, or cut off from Redis): the run may have shared the GPU with the next
    // holder's, and its job has probably been handed to another worker already. Its result
    // is not posted, whatever it was; the trial is run again by a worker that holds a GPU,
    // and nothing counts this run as a failed attempt.
    log.warn({ trialDir: run.trialDir, outcome: outcome.kind }, 'this run ended after the worker lost its GPU lease; its result is not posted and the trial goes back to the queue');
    return { kind: 'returned' };
  }
  if (outcome.kind === 'interrupted') {
    // No result: this run says nothing about the trial, and the scheduler would count it as a
    // failed attempt. The trial stays `running` until the next run marks it again.
    log.warn({ trialDir: run.trialDir }, 'trial interrupted by the worker stopping; handing it back to the queue without counting an attempt');
    return { kind: 'returned' };
  }
  if (outcome.kind === 'pruned') {
    const { rung, fitness, cut } = outcome.at;
    log.info({ rung, fitness, cut }, `trial pruned after epoch ${rung}: fitness ${formatG(fitness, 0)} below the cut ${formatG(cut, 0)}`);
    const recorded = await context.results.report({ ...start, final: true, outcome: 'pruned', metrics: epochs.metricsAt(rung) ?? null, fitness: null, failure: null, pruned: outcome.at, finishedAt: Date.now() }, trial);
    return { kind: 'ran', runName: run.runName, recorded };
  }

  const measured = (context.offline === true ? await networkAttemptFailure(run.trialDir) : undefined) ??
    (await measureRun(outcome, { profile, resultsPath: run.resultsPath, trialDir: run.trialDir, program: prepared.argv[0] ?? '', logPath, host: context.identity.host }));
  if (measured instanceof TrialFailure) {
    const failure = !ticket.finalAttempt && !measured.unrecoverable && await repeatsCampaignFailure(context.redis, context.prefix, trial.campaign, measured)
      ? measured.notRetried()
      : measured;
    const final = ticket.finalAttempt || failure.unrecoverable;
    log.warn({ kind: failure.kind, final }, `trial failed: ${failure.message}`);
    await context.results.post(failedResult(start, failure, final));
    return { kind: 'failed', failure };
  }
  const fitness = measured.fitness ?? (measured.metrics === null || trial.fitnessWeights === null ? null : weighFitness(measured.metrics, trial.fitnessWeights, profile.fitnessMetrics));
  const shown = fitness !== null && Number.isFinite(fitness) ? fitness : null;
  log.info({ fitness: shown ?? undefined, metrics: measured.metrics ?? undefined }, shown === null ? 'trial succeeded' : `trial succeeded: fitness ${formatG(shown, 0)}`);
  const recorded = await context.results.report({
    ...start,
    final: true,
    outcome: 'succeeded',
    metrics: measured.metrics === null ? null : metricsToWire(measured.metrics),
    fitness: measured.fitness,
    failure: null,
    finishedAt: Date.now(),
  }, trial);
  return { kind: 'ran', runName: run.runName, recorded };
}
