import type { Logger } from 'pino';
import { TRAINER_LIMITS, epochFitness, type EpochEntry, type MetricsWire, type PrunedAt } from '@hyperevolve/contract';
import type { EpochReading, TrainerProfile } from '@hyperevolve/ga-core';
import type { TrialStore } from '@hyperevolve/trial-store';
import { EpochFollower, type EpochProblemKind } from './epoch-follower.js';
import type { CompleteTrialJob } from './legacy-job.js';
import { prunedAt, type RungJudge } from './rung-judge.js';

export interface RunEpochsOptions {
  readonly trial: CompleteTrialJob;
  readonly profile: TrainerProfile;
  readonly runName: string;
  /** The profile's per-epoch log of this run (RunSpec.epochLogPath). */
  readonly path: string;
  /** The run's directory, in which `path` lies. */
  readonly trialDir: string;
  readonly trials: Pick<TrialStore, 'recordEpoch' | 'warnRun'>;
  readonly rungs: RungJudge;
  readonly log: Logger;
  /** Each epoch seen, recorded or not (the stall watch's progress). */
  readonly seen: () => void;
  /** Below the cut at a rung: stop the trainer. */
  readonly prune: (at: PrunedAt) => void;
  /** Default {@link TRAINER_LIMITS}.curveBytesPerRun; tests pass a smaller one. */
  readonly curveBytes?: number;
}

/**
 * One run's epochs while its trainer runs: each epoch the trainer writes is recorded on the
 * trial (while this run holds it) with its fitness, computed here once (the trainer's own, else
 * the job's weights over its metrics) for status, the dashboard and the rungs to read; at a rung of a pruning campaign the run is judged there and
 * stopped when it is below the cut. Once stopped, the epochs the trainer still writes before it
 * dies are not recorded: the trial ends at its rung.
 */
export class RunEpochs {
  readonly #options: RunEpochsOptions;
  readonly #follower: EpochFollower;
  readonly #epochCount: number | undefined;
  readonly #rungMetrics = new Map<number, MetricsWire>();
  /** Problems of each kind seen so far: the first is a warning, the rest are counted. */
  readonly #problems = new Map<EpochProblemKind | 'full', number>();
  /** Warnings being noted on the trial: awaited before the run ends, so its result finds them there. */
  readonly #warnings: Promise<void>[] = [];
  #pruned = false;
  /** Bytes of curve entries this run has sent to Redis. */
  #curveBytes = 0;

  constructor(options: RunEpochsOptions) {
    this.#options = options;
    this.#epochCount = options.profile.epochCount(options.trial.command);
    this.#follower = new EpochFollower({
      path: options.path,
      trialDir: options.trialDir,
      lines: options.profile.epochLog.reader(),
      onEpoch: (reading) => this.#onEpoch(reading),
      onProblem: (problem, kind) => this.#problem(problem, kind),
    });
  }

  start(): void {
    this.#follower.start();
  }

  /** After one last read: the epochs the trainer wrote just before it exited are recorded too. */
  async stop(): Promise<void> {
    await this.#follower.stop();
    await Promise.all(this.#warnings);
    const more = [...this.#problems].filter(([, count]) => count > 1).map(([kind, count]) => `${count - 1} more of kind ${kind}`);
    if (more.length > 0) this.#options.log.info({ path: this.#options.path }, `per-epoch progress: ${more.join(', ')} after the warnings above`);
  }

  /**
   * Stops following without the last read and without waiting for the epochs and warnings under
   * way: the run was interrupted and goes back to the queue to run again, so its last epochs are
   * not wanted, and a Redis that is gone must not hold up the hand-back.
   */
  abandon(): void {
    this.#follower.abandon();
    for (const warning of this.#warnings) void warning.catch(() => undefined);
  }

  /**
   * One warning per kind of problem per run: a trainer that writes 300,000 bad lines must not
   * write 300,000 lines into the worker's log. A limit passed (TRAINER_LIMITS) is noted on the
   * trial too, once per kind, where status, the dashboard and the API show it.
   */
  #problem(problem: string, kind: EpochProblemKind | 'full'): void {
    const count = (this.#problems.get(kind) ?? 0) + 1;
    this.#problems.set(kind, count);
    const { log, path } = this.#options;
    if (count > 1) {
      log.debug({ path }, `per-epoch progress: ${problem}`);
      return;
    }
    log.warn({ path }, `per-epoch progress: ${problem}`);
    if (kind === 'limit' || kind === 'stopped' || kind === 'full') this.#warnings.push(this.#noteOnTrial(problem));
  }

  async #noteOnTrial(problem: string): Promise<void> {
    const { trial, runName, log } = this.#options;
    try {
      const outcome = await this.#options.trials.warnRun(trial.campaign, trial.index, runName, problem);
      if (!outcome.noted) log.debug({ reason: outcome.reason }, 'warning not noted on the trial');
    } catch (error) {
      log.warn({ err: error }, 'could not note the warning on the trial (Redis?); it is in this log only');
    }
  }

  /** The metrics the run reached at a rung it was judged at. */
  metricsAt(epoch: number): MetricsWire | undefined {
    return this.#rungMetrics.get(epoch);
  }

  async #onEpoch(reading: EpochReading): Promise<void> {
    const { trial, rungs, log } = this.#options;
    this.#options.seen();
    if (this.#pruned) return;
    const epochs = reading.epochs ?? this.#epochCount;
    const fitness = this.#fitness(reading);
    const entry: EpochEntry = {
      run: this.#options.runName,
      epoch: reading.epoch,
      ...(epochs === undefined ? {} : { epochs }),
      ...(reading.metrics === undefined ? {} : { metrics: reading.metrics }),
      ...(fitness === undefined ? {} : { fitness }),
      at: Date.now(),
    };
    const budget = this.#options.curveBytes ?? TRAINER_LIMITS.curveBytesPerRun;
    const bytes = Buffer.byteLength(JSON.stringify(entry));
    if (this.#curveBytes + bytes > budget) {
      this.#problem(`epoch ${reading.epoch} and later are not recorded: this run's curve reached ${budget} bytes, more than any trainer's epochs take`, 'full');
      return;
    }
    this.#curveBytes += bytes;
    const atRung = rungs.isRung(reading.epoch) ? fitness : undefined;
    const outcome = await this.#options.trials.recordEpoch(trial.campaign, trial.index, entry, atRung === undefined ? undefined : rungs.entry(atRung));
    if (!outcome.recorded) {
      log.debug({ epoch: reading.epoch, reason: outcome.reason }, 'epoch not recorded');
      return;
    }
    log.debug({ epoch: reading.epoch, epochs }, 'epoch recorded');
    if (atRung === undefined) {
      if (rungs.isRung(reading.epoch)) log.info({ epoch: reading.epoch }, 'no fitness at this rung (epoch not validated, or nan): the trial goes on without being compared');
      return;
    }
    if (reading.metrics !== undefined) this.#rungMetrics.set(reading.epoch, reading.metrics);
    const decision = await rungs.decide(reading.epoch, atRung, epochs);
    if (decision.kind === 'prune') {
      this.#pruned = true;
      this.#options.prune(prunedAt(decision, atRung));
    } else if (decision.kind === 'continue') {
      log.info({ rung: decision.rung, fitness: atRung, cut: decision.cut, why: decision.why }, `rung ${decision.rung}: goes on (${decision.why})`);
    }
  }

  /** The fitness after the epoch; undefined when it has none (not validated, nan, or no weights to weigh its metrics). */
  #fitness(reading: EpochReading): number | undefined {
    const weights = this.#options.trial.fitnessWeights;
    if (weights === null && reading.fitness === undefined) return undefined;
    const value = epochFitness(reading, weights ?? [], this.#options.profile.fitnessMetrics);
    return Number.isFinite(value) ? value : undefined;
  }
}
