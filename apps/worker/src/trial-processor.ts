import { DelayedError, UnrecoverableError, WaitingError, type Job } from 'bullmq';
import { z } from 'zod';
import { CampaignNameSchema, describeZodError, TrialJobSchema, type TrialJobReturn } from '@hyperevolve/contract';
import type { UnsavedWrites } from '@hyperevolve/runtime';
import { RunControl } from './run-control.js';
import type { DeviceState, TrialContext } from './trial-context.js';
import { TrialFailure } from './trial-failure.js';
import { failedResult, runWithoutDir } from './trial-results.js';
import { runTrial, type TrialOutcome } from './trial-runner.js';

export interface TrialProcessorOptions extends TrialContext {
  /** Paused campaign: how long a job waits before it is looked at again. */
  pauseRetryMs?: number;
  /** A campaign trial whose command this worker may not run: how long it waits before another worker may take it. */
  handBackMs?: number;
  /** Notes hand-backs under way, for a stop that cannot wait for Redis. */
  unsaved?: UnsavedWrites;
}

/**
 * The BullMQ side of a trial job: validates the payload, has {@link runTrial} run it, and turns
 * its outcome into a queue move. A run that ran completes the job, whose return value says what
 * the worker recorded (TrialJobReturn). A failed run has posted its result and throws, so BullMQ
 * retries it (or, for unrecoverable kinds, fails it at once); a deferred, handed-back or
 * interrupted one goes back to the queue without counting an attempt.
 */
export class TrialProcessor {
  readonly #options: TrialProcessorOptions;
  readonly #state: DeviceState = { control: new RunControl(), refusedCampaigns: new Set(), seenRunning: new Set() };

  constructor(options: TrialProcessorOptions) {
    this.#options = options;
  }

  /** A trainer runs now (a busy processor may also be preparing a run, or reporting one). */
  get trainerRunning(): boolean {
    return this.#state.control.running;
  }

  /** Stop: the running trainer is killed and its job handed back; no new trainer starts. */
  interrupt(): void {
    this.#state.control.interrupt();
  }

  /** The worker was told to stop; called at once, from the signal, before any grace runs (see stoppedWithWorker). */
  stopRequested(): void {
    this.#state.control.noteStopRequested();
  }

  /** Synchronous SIGKILL of the running trainer's group, for an exit that cannot wait. */
  killNow(): void {
    this.#state.control.killNow();
  }

  /** Resolves once no trainer runs (now, if none does). */
  trainerEnded(): Promise<void> {
    return this.#state.control.idle();
  }

  async process(job: Job, token: string | undefined): Promise<TrialJobReturn> {
    const parsed = TrialJobSchema.safeParse(job.data);
    if (!parsed.success) return this.#refuseBadPayload(job, describeZodError(parsed.error, 'data'));
    const attempt = job.attemptsMade + 1;
    const ticket = { trial: parsed.data, attempt, finalAttempt: attempt >= (job.opts.attempts ?? 1), jobId: job.id };
    const outcome = await runTrial(ticket, this.#options, this.#state);
    if (outcome.kind === 'ran' || outcome.kind === 'failed') this.#options.artifacts?.note(ticket.trial.campaign, { keep: ticket.trial.keepArtifacts, adapter: ticket.trial.adapter, adapterParams: ticket.trial.adapterParams, command: ticket.trial.command });
    return this.#move(job, token, outcome);
  }

  async #move(job: Job, token: string | undefined, outcome: TrialOutcome): Promise<TrialJobReturn> {
    switch (outcome.kind) {
      case 'skipped':
        return { ran: false, reason: outcome.reason, ...(outcome.campaign === undefined ? {} : { campaign: outcome.campaign }) };
      case 'ran':
        return { ran: true, runName: outcome.runName, ...(outcome.recorded === null ? {} : { recorded: outcome.recorded }) };
      case 'failed':
        throw jobError(outcome.failure);
      case 'deferred':
      case 'handed-back':
        // job.moveToDelayed does not count an attempt; DelayedError tells the BullMQ Worker that
        // the job already left the active list.
        await job.moveToDelayed(Date.now() + (outcome.kind === 'deferred' ? (this.#options.pauseRetryMs ?? 2000) : (this.#options.handBackMs ?? 1000)), token);
        throw new DelayedError();
      case 'returned':
        try {
          // moveToWait keeps attemptsMade as it is.
          const moved = job.moveToWait(token);
          await (this.#options.unsaved?.track(`handing trial job ${job.id ?? '?'} back to the queue`, moved) ?? moved);
        } catch (error) {
          // Its lock lapsed meanwhile: BullMQ has put it back already (and maybe given it to another worker).
          this.#options.log.info({ err: error, jobId: job.id }, 'the trial job had already gone back to the queue');
        }
        // Tells the BullMQ Worker that the job left the active list.
        throw new WaitingError();
    }
  }

  async #refuseBadPayload(job: Job, problem: string): Promise<never> {
    const message = `job ${job.id ?? '?'} is not a valid trial job (${problem}); it was written by an incompatible scheduler or by hand, and will not run`;
    this.#options.log.error({ jobId: job.id }, message);
    const failure = new TrialFailure('bad-payload', message);
    const fields: unknown = job.data;
    const data = typeof fields === 'object' && fields !== null ? (fields as Record<string, unknown>) : {};
    const campaign = CampaignNameSchema.safeParse(data.campaign);
    const index = z.number().int().min(0).safeParse(data.index);
    if (campaign.success && index.success) {
      const command = z.array(z.string()).safeParse(data.command);
      const id = { trial: { campaign: campaign.data, index: index.data }, attempt: job.attemptsMade + 1, worker: this.#options.identity };
      try {
        await this.#options.results.post(failedResult(runWithoutDir(id, command.success ? command.data : []), failure, true));
      } catch (error) {
        this.#options.log.error({ err: error, jobId: job.id }, 'could not post the bad-payload result');
      }
    }
    throw jobError(failure);
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
