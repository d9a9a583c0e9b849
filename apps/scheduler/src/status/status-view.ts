import type { AllowedCommands, Stray } from '@hyperevolve/contract';
import type { TrialFailureRecord, TrialWarnings } from '@hyperevolve/trial-store';
import type { DiskView } from './disk-view.js';

/**
 * What `scheduler status --json` prints and the dashboard polls. Stable for scripts: fields
 * are only ever added; times are ms since the epoch, durations ms unless named otherwise.
 */
export interface StatusView {
  v: 1;
  at: number;
  /** Ids of the `scheduler serve` processes alive now. */
  schedulers: string[];
  campaigns: CampaignView[];
  /** Campaigns whose keys in Redis fail validation: the key, the problem and the fix. */
  unreadable?: UnreadableView[];
  workers: WorkerView[];
  /** Settings or states of Redis that put campaigns at risk (no append-only file, eviction, out of memory). */
  redisRisks?: { kind: string; message: string }[];
  /** evolve.csv files of campaigns Redis does not have (lost with its data?), in the default --out and beside the campaigns it has. */
  orphanedExports?: { name: string; path: string; rows: number }[];
}

export interface UnreadableView {
  name: string;
  problem: string;
}

export interface CampaignView {
  name: string;
  status: string;
  pausedReason: string | null;
  /** Why serve cannot write evolve.csv / hyp_evolve.yaml now; null (or absent) while it can. */
  exportError?: string | null;
  budget: number;
  /** Succeeded trials recorded (they count against the budget). */
  recorded: number;
  /** recorded / budget, 0..1. */
  progress: number;
  /** Rows imported with --seed-from (not part of the budget). */
  imported: number;
  /** Trials recorded failed, over the campaign's whole life. */
  failed: number;
  /** Of those, the ones failed before the campaign was last resumed: history, not current failures (recentFailures leaves them out). */
  clearedFailures?: number;
  /** Epochs the workers recorded, over all trials and runs. */
  epochs?: number;
  /** `--prune`: the mode, its rungs, the trials stopped at one and the GPU time that saved (estimated); null without pruning. */
  pruning?: PruningView | null;
  /** Issued and not yet recorded: running + queued. */
  inflight: number;
  /** Trials a worker runs now, by the workers' heartbeats. */
  running: number;
  /** In flight and not running: waiting for a worker (held while paused). */
  queued: number;
  best: { trial: number; fitness: number } | null;
  trialsPerHour: number | null;
  etaSeconds: number | null;
  startedAt: number | null;
  finishedAt: number | null;
  /**
   * Why a running campaign gets no trials run, when the workers are the reason: none is alive,
   * or none allows its command (`no live worker allows \`python3 train.py\` …`); else null.
   */
  waitingFor: string | null;
  recentFailures: FailureView[];
  /** Bytes its trials' run directories keep on the workers' disks, by host (--keep-artifacts); null until a worker reported. */
  disk?: DiskView | null;
  /**
   * Trials whose trainer went past a limit (contract's TRAINER_LIMITS: a progress line too long,
   * too many metrics, an epoch past the bound, a file that is not a regular file, a full curve):
   * how many, and the latest of them by index with their warnings (`<runName>: <what>`).
   */
  warnings?: { trials: number; recent: TrialWarnings[] };
}

export interface PruningView {
  mode: string;
  rungs: number[];
  /** A run at a rung is judged against the last `window` runs that reached it; null: against every one (campaigns from before windows, --prune-window all). */
  window: number | null;
  /** Trials stopped at a rung: not in the budget, never parents, not evolve.csv rows (their own pruned.csv). */
  pruned: number;
  /** Device time saved, estimated: each pruned trial as long as a typical (median) recent full run, less the time it ran (ms). */
  savedGpuMs: number;
  /** The latest pruned trials, newest first: where each stopped, its fitness there and the cut. */
  recent: { index: number; rung: number; fitness: number; cut: number }[];
}

/** A recent failure as the trial store reads it (one definition: a field it reads shows in `status --json`). */
export type FailureView = TrialFailureRecord;

export interface WorkerView {
  id: string;
  host: string;
  /** GPU index or "cpu". */
  device: string;
  gpuUuid: string | null;
  pid: number | null;
  /** `<campaign>/<index>` while a trial runs. */
  currentTrial: string | null;
  trialStartedAt: number | null;
  trialElapsedMs: number | null;
  /** The running trial's latest epoch: epochs done, of how many (null: the trainer does not say), its fitness (null: not validated). Absent while none. */
  epoch?: { done: number; of: number | null; fitness: number | null };
  lastBeatAt: number;
  lastBeatAgoMs: number;
  /** No heartbeat for longer than the scheduler waits before it stops counting the worker. */
  silent: boolean;
  /** The commands it runs, as its heartbeat publishes them; null when unknown (an older worker, or its heartbeat expired). */
  allowed: AllowedCommands | null;
  /** Processes left on the worker's device (outlived their run, or on its GPU while it runs nothing). */
  strays?: Stray[];
}
