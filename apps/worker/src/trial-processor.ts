import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DelayedError, UnrecoverableError, WaitingError, type Job } from 'bullmq';
import type { Logger } from 'pino';
import { z } from 'zod';
import {
  CampaignNameSchema,
  CampaignSettingsSchema,
  campaignKeys,
  commandProgram,
  describeZodError,
  metricsToWire,
  TrialJobSchema,
  type PrunedAt,
  type TrialJob,
  type TrialResult,
  type WorkerIdentity,
} from '@hyperevolve/contract';
import type { TrialStore } from '@hyperevolve/trial-store';
import { formatG, trainerProfile, writeHypYaml, type MeasuredRun, type TrainerProfile, type RunSpec } from '@hyperevolve/ga-core';
import type { AllowList } from './allow-list.js';
import { readCampaignGate } from './campaign-status.js';
import { classifyOutcome } from './classify-outcome.js';
import { RungJudge } from './rung-judge.js';
import { RunEpochs, epochSource } from './run-epochs.js';
import { StallWatch } from './stall-watch.js';
import { deviceLabel, type Device } from './device-selection.js';
import type { Heartbeat } from './heartbeat.js';
import type { RunProcesses } from './containment/reap-run.mjs';
import type { RunCgroups } from './containment/run-cgroups.js';
import type { TrainerRecords } from './orphans/trainer-records.js';
import { readLogTail } from './log-tail.js';
import { checkFitnessMetrics } from './metrics-check.js';
import { readRunResults } from './run-results.js';
import type { ResultPoster } from './result-poster.js';
import { shellQuoteArgv } from './shell-quote.js';
import type { StrayWatch } from './stray-watch.js';
import type { LeaseGuard } from './device-slot.js';
import { createTrialDir, type TrialDir } from './trial-dir.js';
import { networkAttemptFailure, offlineTrainerEnv } from './offline/offline-guard.js';
import { TrialFailure } from './trial-failure.js';
import { runFitness } from './trial-fitness.js';
import { TrainerProcess, type TrainerOptions } from './trainer-process.js';
import { stoppedWithWorker } from './stopped-with-worker.js';
import type { TrainerOutcome } from './trainer-outcome.js';
import type { RedisClient, UnsavedWrites } from '@hyperevolve/runtime';

/** A started trainer run, as the processor drives it ({@link TrainerProcess} is the real one). */
export interface TrainerRun {
  readonly done: Promise<TrainerOutcome>;
  /** The process (and group) id of a real process; undefined when it could not start or is not one. */
  readonly pid?: number | undefined;
  /** Every process of the run, as the orphan sweep and the lease watchdog find them. */
  readonly run?: RunProcesses | undefined;
  /** Once done: processes of the run that outlived it (SIGKILL had no effect). */
  readonly leftovers?: readonly number[];
  interrupt(): void;
  /** No progress for `stallMs`: stop the run, which then ends as `stalled`. */
  stall?(stallMs: number): void;
  /** Below the cut at a rung: stop the run, which then ends as `pruned`. */
  prune?(at: PrunedAt): void;
  killNow(): void;
}

export interface TrialProcessorOptions {
  redis: RedisClient;
  prefix: string;
  workdir: string;
  cwd: string;
  trainerEnv: Record<string, string>;
  /** worker --offline: trainers get offlineTrainerEnv, and a run that reached for the network fails. */
  offline?: boolean;
  allowList: AllowList;
  device: Device;
  identity: WorkerIdentity;
  heartbeat: Heartbeat;
  results: ResultPoster;
  /** Marks each run's start on its trial (the run fields). */
  trials: TrialStore;
  log: Logger;
  /** Paused campaign: how long a job waits before it is looked at again. */
  pauseRetryMs?: number;
  /** A campaign trial whose command this worker may not run: how long it waits before another worker may take it. */
  handBackMs?: number;
  /** Between SIGTERM and SIGKILL of a trainer's process group. */
  killAfterMs?: number;
  /** Starts a trainer run; default {@link TrainerProcess.start}. Benchmarks swap in a trainer that only sleeps. */
  startTrainer?: (options: TrainerOptions) => TrainerRun;
  /** Where the running trainer's process group is noted, for the next worker if this one is SIGKILLed. */
  trainerRecords?: TrainerRecords;
  /** train.log keeps the first and last halves of this many bytes (default 64 MiB; 0: all). */
  logCapBytes?: number;
  /** A cgroup per run, where the machine allows it. */
  cgroups?: RunCgroups | undefined;
  /** Told of the processes a run leaves behind. */
  strays?: StrayWatch;
  /** On a leased GPU: whether the lease still holds, and the watchdog to tell of each run. */
  leaseGuard?: LeaseGuard | undefined;
  /** Notes hand-backs under way, for a stop that cannot wait for Redis. */
  unsaved?: UnsavedWrites;
}

/** What a completed trial job returns (its BullMQ return value). */
export type TrialJobReturn =
  | { readonly ran: false; readonly reason: string }
  | { readonly ran: true; readonly runName: string };

/** The fields of a TrialResult that one run fixes before it ends. */
type ResultStart = Omit<TrialResult, 'final' | 'outcome' | 'metrics' | 'fitness' | 'failure' | 'finishedAt'>;

/**
 * One trial job, start to end: validate, ask the campaign, check the allow-list, make the
 * trial directory, mark the trial running, run the trainer, read its metrics, post the
 * result. A failed run posts its result and then throws, so BullMQ retries it (or, for
 * unrecoverable kinds, fails it at once); a run the worker interrupted goes back to the queue
 * without counting an attempt.
 */
export class TrialProcessor {
  readonly #options: TrialProcessorOptions;
  readonly #log: Logger;
  #current: TrainerRun | undefined;
  #stopping = false;
  /** The worker was told to stop (its --grace may still be running): see stoppedWithWorker. */
  #stopRequested = false;
  #jobs = 0;
  /** Campaigns whose command this worker has said it does not allow (said once each, then at debug level). */
  readonly #refusedCampaigns = new Set<string>();

  constructor(options: TrialProcessorOptions) {
    this.#options = options;
    this.#log = options.log;
  }

  /** A job is being processed (prepared, trained or reported) right now. */
  get busy(): boolean {
    return this.#jobs > 0;
  }

  /** Stop: the running trainer is killed and its job handed back; no new trainer starts. */
  interrupt(): void {
    this.#stopping = true;
    this.#current?.interrupt();
  }

  /** The worker was told to stop; called at once, from the signal, before any grace runs. */
  stopRequested(): void {
    this.#stopRequested = true;
  }

  /** Synchronous SIGKILL of the running trainer's group, for an exit that cannot wait. */
  killNow(): void {
    this.#stopping = true;
    this.#current?.killNow();
  }

  async process(job: Job, token: string | undefined): Promise<TrialJobReturn> {
    this.#jobs += 1;
    try {
      return await this.#process(job, token);
    } finally {
      this.#jobs -= 1;
    }
  }

  async #process(job: Job, token: string | undefined): Promise<TrialJobReturn> {
    const parsed = TrialJobSchema.safeParse(job.data);
    if (!parsed.success) return this.#refuseBadPayload(job, describeZodError(parsed.error, 'data'));
    const trial = parsed.data;
    const log = this.#log.child({ campaign: trial.campaign, index: trial.index });

    const gate = await readCampaignGate(this.#options.redis, this.#options.prefix, trial.campaign);
    if (gate.action === 'skip') {
      log.info({ jobId: job.id, reason: gate.reason }, 'completing the trial job without running it');
      return { ran: false, reason: gate.reason };
    }
    if (gate.action === 'defer') {
      log.info({ jobId: job.id }, 'campaign is paused; handing the trial back to the queue');
      // skipAttempt: job.moveToDelayed does not count an attempt, and DelayedError tells the
      // BullMQ Worker that the job already left the active list.
      await job.moveToDelayed(Date.now() + (this.#options.pauseRetryMs ?? 2000), token);
      throw new DelayedError();
    }

    const attempt = job.attemptsMade + 1;
    const final = attempt >= (job.opts.attempts ?? 1);
    if (!this.#options.allowList.allows(trial.command)) {
      // A trial of the campaign's own command waits for a worker that allows it (the scheduler
      // queues such trials only while one is alive); any other command was not written by the
      // scheduler, and is refused for good.
      if (await this.#isCampaignCommand(trial)) return this.#handBack(job, token, trial, log);
      const failure = new TrialFailure('command-not-allowed',
        `the worker ${this.#options.identity.id} does not allow the command ${JSON.stringify(trial.command.join(' '))}; ` +
          `allowed prefixes: ${this.#options.allowList.describe()}. Start the worker with --allow-command "<prefix>" for it`);
      log.error({ jobId: job.id, command: trial.command }, failure.message);
      await this.#options.results.post(this.#failedResult(this.#runWithoutDir(trial, attempt, trial.command), failure, true));
      throw jobError(failure);
    }
    return this.#run(job, token, trial, attempt, final, log);
  }

  async #isCampaignCommand(trial: TrialJob): Promise<boolean> {
    const raw = await this.#options.redis.get(campaignKeys(this.#options.prefix, trial.campaign).config);
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

  /** Back to the queue for another worker, without counting an attempt and without a result. */
  async #handBack(job: Job, token: string | undefined, trial: TrialJob, log: Logger): Promise<never> {
    const first = !this.#refusedCampaigns.has(trial.campaign);
    this.#refusedCampaigns.add(trial.campaign);
    const message = `this worker does not allow \`${commandProgram(trial.command)}\` (it allows ${this.#options.allowList.describe()}); ` +
      'handing the trial back for a worker that does, without counting an attempt';
    if (first) log.warn({ jobId: job.id }, message);
    else log.debug({ jobId: job.id }, message);
    await job.moveToDelayed(Date.now() + (this.#options.handBackMs ?? 1000), token);
    throw new DelayedError();
  }

  async #run(job: Job, token: string | undefined, trial: TrialJob, attempt: number, finalAttempt: boolean, parentLog: Logger): Promise<TrialJobReturn> {
    const { workdir, device, identity, heartbeat } = this.#options;
    const profile = trainerProfile(trial.adapter);
    let dir: TrialDir;
    try {
      dir = await createTrialDir(workdir, trial.campaign, trial.index, attempt);
    } catch (error) {
      return this.#failPreparation(this.#runWithoutDir(trial, attempt, trial.command), finalAttempt, `could not create a trial directory under ${join(workdir, trial.campaign)}`, error, parentLog);
    }
    const log = parentLog.child({ runName: dir.runName });
    const run: RunSpec = {
      command: trial.command,
      campaign: trial.campaign,
      index: trial.index,
      device: deviceLabel(device),
      projectDir: dir.projectDir,
      runName: dir.runName,
      trialDir: dir.path,
      hypPath: join(dir.path, 'hyp.yaml'),
      resultsPath: join(dir.path, profile.resultsFile),
      fastTrials: trial.fastTrials,
      hyp: trial.hyp,
    };
    const source = epochSource(profile, dir.path, run.resultsPath);
    const profileCommand = profile.command(run);
    const command = { ...profileCommand, env: { ...profileCommand.env, ...source.env } };
    const logPath = join(dir.path, 'train.log');
    const start = this.#runStart(trial, attempt, dir.runName, dir.path, logPath, command.argv, true);

    // Marking the trial running (Redis) and writing its files (disk) overlap: both sit between
    // one trial's end and the next one's start on this device.
    const written = Promise.all([
      writeFile(run.hypPath, writeHypYaml(trial.hyp)),
      writeFile(join(dir.path, 'command.txt'), `${shellQuoteArgv(command.argv)}\n`),
      writeFile(logPath, ''),
    ]).then(() => null, (error: unknown) => ({ error }));
    const [marked, writeFailure] = await Promise.all([this.#options.trials.start(trial.campaign, trial.index, {
      attempt,
      runName: dir.runName,
      worker: identity,
      device: deviceLabel(device),
      startedAt: start.startedAt,
      trialDir: dir.path,
      logPath,
      command: command.argv,
    }), written]);
    if (!marked.marked) {
      await rm(dir.path, { recursive: true, force: true });
      log.warn({ jobId: job.id, reason: marked.reason }, 'completing the trial job without running it');
      return { ran: false, reason: marked.reason };
    }
    if (writeFailure !== null) {
      return this.#failPreparation(start, finalAttempt, `could not write the trial files in ${dir.path}`, writeFailure.error, log);
    }

    heartbeat.trialStarted(`${trial.campaign}/${trial.index}`, start.startedAt);
    log.info({ trialDir: dir.path, timeoutMs: trial.timeoutMs }, 'trial started');
    const stallMs = trial.stallTimeoutMs;
    const stall = stallMs === null ? undefined : new StallWatch(stallMs, () => {
      log.warn({ stallMs }, 'no new epoch within the campaign\'s --stall-timeout; stopping the trainer');
      this.#current?.stall?.(stallMs);
    });
    const epochs = new RunEpochs({
      trial,
      profile,
      runName: dir.runName,
      source,
      trials: this.#options.trials,
      rungs: new RungJudge({ trial, profile, trials: this.#options.trials, redis: this.#options.redis, prefix: this.#options.prefix }),
      log,
      seen: () => stall?.progress(),
      prune: (at) => this.#current?.prune?.(at),
    });
    epochs.start();
    stall?.start();
    let outcome: TrainerOutcome;
    try {
      const offline = this.#options.offline === true ? offlineTrainerEnv(this.#options.trainerEnv, dir.path) : {};
      outcome = stoppedWithWorker(await this.#runTrainer(command.argv, { ...offline, ...command.env }, logPath, trial.timeoutMs, log), this.#stopRequested);
    } finally {
      heartbeat.trialEnded(Date.now());
      stall?.stop();
      // Before the result is posted: the epochs the trainer wrote last belong to the running trial.
      await epochs.stop();
    }

    const guard = this.#options.leaseGuard;
    if (guard !== undefined && !guard.held()) {
      // The lease lapsed or went to another worker before this run's end was seen here (this
      // worker was frozen, or cut off from Redis): the run may have shared the GPU with the next
      // holder's, and its job has probably been handed to another worker already. Its result
      // is not posted, whatever it was; the trial is run again by a worker that holds a GPU,
      // and nothing counts this run as a failed attempt.
      log.warn({ trialDir: dir.path, outcome: outcome.kind }, 'this run ended after the worker lost its GPU lease; its result is not posted and the trial goes back to the queue');
      await this.#returnToQueue(job, token, log);
    }

    if (outcome.kind === 'interrupted') {
      // No result: this run says nothing about the trial, and the scheduler would count it as a
      // failed attempt. The trial stays `running` until the next run marks it again.
      log.warn({ trialDir: dir.path }, 'trial interrupted by the worker stopping; handing it back to the queue without counting an attempt');
      await this.#returnToQueue(job, token, log);
    }

    if (outcome.kind === 'pruned') {
      const { rung, fitness, cut } = outcome.at;
      log.info({ rung, fitness, cut }, `trial pruned after epoch ${rung}: fitness ${formatG(fitness, 0)} below the cut ${formatG(cut, 0)}`);
      await this.#options.results.post({
        ...start,
        final: true,
        outcome: 'pruned',
        metrics: epochs.metricsAt(rung) ?? null,
        fitness: null,
        failure: null,
        pruned: outcome.at,
        finishedAt: Date.now(),
      });
      return { ran: true, runName: dir.runName };
    }

    const measured = (this.#options.offline === true ? await networkAttemptFailure(dir.path) : undefined) ??
      (await this.#measure(outcome, profile, run.resultsPath, command.argv[0] ?? '', logPath));
    if (measured instanceof TrialFailure) {
      const final = finalAttempt || measured.unrecoverable;
      log.warn({ kind: measured.kind, final }, `trial failed: ${measured.message}`);
      await this.#options.results.post(this.#failedResult(start, measured, final));
      throw jobError(measured);
    }
    const fitness = await runFitness(this.#options.redis, this.#options.prefix, trial.campaign, profile, measured);
    log.info({ fitness: fitness ?? undefined, metrics: measured.metrics ?? undefined }, fitness === null ? 'trial succeeded' : `trial succeeded: fitness ${formatG(fitness, 0)}`);
    await this.#options.results.post({
      ...start,
      final: true,
      outcome: 'succeeded',
      metrics: measured.metrics === null ? null : metricsToWire(measured.metrics),
      fitness: measured.fitness,
      failure: null,
      finishedAt: Date.now(),
    });
    return { ran: true, runName: dir.runName };
  }

  /** Back to the queue without counting an attempt. */
  async #returnToQueue(job: Job, token: string | undefined, log: Logger): Promise<never> {
    try {
      // moveToWait keeps attemptsMade as it is.
      const moved = job.moveToWait(token);
      await (this.#options.unsaved?.track(`handing trial job ${job.id ?? '?'} back to the queue`, moved) ?? moved);
    } catch (error) {
      // Its lock lapsed meanwhile: BullMQ has put it back already (and maybe given it to another worker).
      log.info({ err: error, jobId: job.id }, 'the trial job had already gone back to the queue');
    }
    // Tells the BullMQ Worker that the job left the active list.
    throw new WaitingError();
  }

  async #runTrainer(argv: string[], env: Record<string, string>, logPath: string, timeoutMs: number | null, log: Logger): Promise<TrainerOutcome> {
    await this.#options.strays?.clearToStart(() => this.#stopping);
    if (this.#stopping) return { kind: 'interrupted' };
    const guard = this.#options.leaseGuard;
    if (guard !== undefined && !guard.held()) return { kind: 'interrupted' };
    const start = this.#options.startTrainer ?? ((options: TrainerOptions) => TrainerProcess.start(options));
    const trainer = start({
      argv,
      env: { ...this.#options.trainerEnv, ...env },
      cwd: this.#options.cwd,
      logPath,
      timeoutMs,
      log,
      ...(this.#options.killAfterMs === undefined ? {} : { killAfterMs: this.#options.killAfterMs }),
      ...(this.#options.logCapBytes === undefined ? {} : { logCapBytes: this.#options.logCapBytes }),
      cgroups: this.#options.cgroups,
    });
    this.#current = trainer;
    this.#options.strays?.runStarted();
    if (trainer.run !== undefined) guard?.runStarted(trainer.run);
    const records = this.#options.trainerRecords;
    const recorded = trainer.run === undefined || records === undefined
      ? undefined
      : records.started(trainer.run, logPath).catch((error: unknown) => log.warn({ err: error }, 'could not record the running trainer (used to clean up after a killed worker)'));
    try {
      return await trainer.done;
    } finally {
      this.#current = undefined;
      guard?.runEnded();
      this.#options.strays?.runEnded(trainer.leftovers ?? []);
      await recorded;
      await records?.ended().catch((error: unknown) => log.warn({ err: error }, 'could not remove the running-trainer record'));
    }
  }

  /** Metrics of a run, or why it failed. */
  async #measure(outcome: Exclude<TrainerOutcome, { kind: 'pruned' }>, profile: TrainerProfile, resultsPath: string, program: string, logPath: string): Promise<MeasuredRun | TrialFailure> {
    const failure = classifyOutcome(outcome, { program, host: this.#options.identity.host });
    if (failure !== undefined) {
      if (failure.kind === 'spawn-error') return failure;
      const tail = await readLogTail(logPath);
      return tail === '' ? failure : new TrialFailure(failure.kind, `${failure.message}; last lines of ${logPath}:\n${tail}`);
    }
    let measured: MeasuredRun;
    try {
      measured = await readRunResults(profile, resultsPath);
    } catch (error) {
      if (error instanceof TrialFailure) return error;
      return new TrialFailure('results-missing', `could not read the run's metrics: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
    }
    return (measured.metrics === null ? undefined : checkFitnessMetrics(profile, measured.metrics, resultsPath)) ?? measured;
  }

  /**
   * The worker, not the trainer, failed (a full disk, a workdir it may not write): recorded as
   * spawn-error so the trial is still accounted for, and retried like any failed run.
   */
  async #failPreparation(start: ResultStart, final: boolean, what: string, error: unknown, log: Logger): Promise<never> {
    const failure = new TrialFailure('spawn-error', `${what} on ${this.#options.identity.host}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
    log.error({ err: error, final }, failure.message);
    await this.#options.results.post(this.#failedResult(start, failure, final));
    throw jobError(failure);
  }

  async #refuseBadPayload(job: Job, problem: string): Promise<never> {
    const message = `job ${job.id ?? '?'} is not a valid trial job (${problem}); it was written by an incompatible scheduler or by hand, and will not run`;
    this.#log.error({ jobId: job.id }, message);
    const failure = new TrialFailure('bad-payload', message);
    const data: unknown = job.data;
    const fields = typeof data === 'object' && data !== null ? (data as Record<string, unknown>) : {};
    const campaign = CampaignNameSchema.safeParse(fields.campaign);
    const index = z.number().int().min(0).safeParse(fields.index);
    if (campaign.success && index.success) {
      const command = z.array(z.string()).safeParse(fields.command);
      const attempt = job.attemptsMade + 1;
      const start = this.#runWithoutDir({ campaign: campaign.data, index: index.data }, attempt, command.success ? command.data : []);
      try {
        await this.#options.results.post(this.#failedResult(start, failure, true));
      } catch (error) {
        this.#log.error({ err: error, jobId: job.id }, 'could not post the bad-payload result');
      }
    }
    throw jobError(failure);
  }

  /** `started`: the run was marked on its trial (start); a run refused before that sends its run fields in its result. */
  #runStart(trial: Pick<TrialJob, 'campaign' | 'index'>, attempt: number, runName: string, trialDir: string, logPath: string, command: readonly string[], started: boolean): ResultStart {
    return {
      v: 1,
      campaign: trial.campaign,
      index: trial.index,
      attempt,
      runName,
      worker: this.#options.identity,
      command: [...command],
      trialDir,
      logPath,
      startedAt: Date.now(),
      started,
    };
  }

  /** A run refused before it had a trial directory: named as its first directory would be, with no directory and no log. */
  #runWithoutDir(trial: Pick<TrialJob, 'campaign' | 'index'>, attempt: number, command: readonly string[]): ResultStart {
    return this.#runStart(trial, attempt, `${trial.index}-${attempt}`, '', '', command, false);
  }

  #failedResult(start: ResultStart, failure: TrialFailure, final: boolean): TrialResult {
    return {
      ...start,
      final,
      outcome: 'failed',
      metrics: null,
      fitness: null,
      failure: { kind: failure.kind, message: failure.message },
      finishedAt: Date.now(),
    };
  }
}

/** The error BullMQ records: UnrecoverableError skips the remaining attempts. */
function jobError(failure: TrialFailure): Error {
  const message = `${failure.kind}: ${failure.message}`;
  if (!failure.unrecoverable) return new Error(message, { cause: failure });
  const error = new UnrecoverableError(message);
  error.cause = failure;
  return error;
}
