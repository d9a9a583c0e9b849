import type { Logger } from 'pino';
import type { WorkerIdentity } from '@hyperevolve/contract';
import type { RedisClient } from '@hyperevolve/runtime';
import type { TrialStore } from '@hyperevolve/trial-store';
import type { AllowList } from './allow-list.js';
import type { ArtifactKeeper } from './artifacts/artifact-keeper.js';
import type { RunCgroups } from './containment/run-cgroups.js';
import type { Device } from './device-selection.js';
import type { LeaseGuard } from './gpu/lease-guard.js';
import type { Heartbeat } from './heartbeat.js';
import type { TrainerRecords } from './orphans/trainer-records.js';
import type { ResultReporter } from './result-reporter.js';
import type { RunControl } from './run-control.js';
import type { StrayWatch } from './stray-watch.js';
import type { TrainerRun } from './trainer-outcome.js';
import type { TrainerOptions } from './trainer-process.js';

/** What a device gives each trial it runs: the same for every trial on it. */
export interface TrialContext {
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
  results: ResultReporter;
  /** Marks each run's start on its trial (the run fields) and records its epochs. */
  trials: TrialStore;
  log: Logger;
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
  /** Told of each trial that ran here, to carry out its campaign's --keep-artifacts on this disk. */
  artifacts?: ArtifactKeeper;
  /** On a leased GPU: whether the lease still holds, and the watchdog to tell of each run. */
  leaseGuard?: LeaseGuard | undefined;
}

/** The device's own state across its trials. */
export interface DeviceState {
  readonly control: RunControl;
  /** Campaigns whose command this worker has said it does not allow (said once each, then at debug level). */
  readonly refusedCampaigns: Set<string>;
  /**
   * Campaigns seen running by a status read here: their later trials have the status checked by
   * the run's start alone. A campaign's first trial on this device reads it first, so a trial of a
   * campaign that is not running leaves nothing on disk, not even the campaign's directory.
   */
  readonly seenRunning: Set<string>;
}
