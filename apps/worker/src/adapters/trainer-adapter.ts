import type { Adapter, TrialJob } from '@hyperevolve/contract';
import type { Metrics } from '@hyperevolve/ga-core';
import type { Device } from '../device-selection.js';

/** Where one run lives; every path is absolute. */
export interface RunContext {
  job: TrialJob;
  device: Device;
  runName: string;
  /** `<workdir>/<campaign>`: YOLOv5's --project. */
  projectDir: string;
  /** `<projectDir>/<runName>`: hyp.yaml, command.txt, train.log and the trainer's own output. */
  trialDir: string;
  hypPath: string;
}

export interface TrainerCommand {
  argv: string[];
  /** Added to the worker's environment for the trainer only. */
  env: Record<string, string>;
}

/** What a finished run measured. */
export interface RunMetrics {
  /** The 7 evolve metrics, NaN where the trainer wrote nan; null when it reported a fitness only. */
  metrics: Metrics | null;
  /** A fitness the program computed itself (generic adapter); null: the scheduler computes it. */
  fitness: number | null;
  /** Where they were read, for messages. */
  source: string;
}

/** How a kind of trainer is called and where it leaves its metrics. */
export interface TrainerAdapter {
  readonly name: Adapter;
  command(context: RunContext): TrainerCommand;
  /** Reads the metrics of a run that exited 0; throws TrialFailure (results-missing, results-garbled). */
  readMetrics(context: RunContext): Promise<RunMetrics>;
}
