import { epochFitness, type CampaignConfig, type EpochEntry, type MetricsWire, type TrialStatus } from '@hyperevolve/contract';
import { trainerProfile } from '@hyperevolve/ga-core';
import type { RedisClient } from '@hyperevolve/runtime';
import type { CampaignStore } from '../campaign/campaign-store.js';

/** One epoch of a run as the dashboard draws it: fitness by the campaign's definition, null when unmeasured. */
export interface CurvePoint {
  epoch: number;
  fitness: number | null;
  /** When the worker saw the epoch (ms since the epoch). */
  at: number;
  /** The trainer's metrics after the epoch (null when not validated); only in a single trial's curve. */
  metrics?: MetricsWire | null;
}

/** One run of a trial (a retried trial has several): its epochs in order. */
export interface CurveRun {
  run: string;
  /** How many epochs the run was to train, when its trainer said. */
  epochs: number | null;
  points: CurvePoint[];
}

export interface TrialCurve {
  index: number;
  status: TrialStatus | null;
  /** The campaign's rungs (epochs at which running trials are compared); empty without --prune. */
  rungs: number[];
  /** Where a pruned trial stopped: the rung, its fitness there and the cut it was below. */
  pruned: { rung: number; fitness: number | null; cut: number | null } | null;
  runs: CurveRun[];
}

export interface RunningCurves {
  rungs: number[];
  trials: (CurveRun & { index: number })[];
}

/** Finished trials' curves: the best succeeded ones (best first), then the latest pruned ones (newest first). */
export interface FinishedCurves {
  rungs: number[];
  /** How many best trials were asked for, and how many were pruned in all. */
  top: number;
  pruned: number;
  trials: (CurveRun & { index: number; status: 'succeeded' | 'pruned'; fitness: number | null })[];
}

/** Most finished trials one answer draws (best and pruned each). */
export const FINISHED_CURVES_MAX = 50;

/**
 * Points a run's curve is drawn with at most: a chart a few hundred pixels wide shows no more,
 * and a trainer that reports 10,000 epochs must not make every poll of the page megabytes.
 */
export const MAX_CURVE_POINTS = 500;

/** At most `max` of the points, evenly spread over the run, its first and last epochs kept. */
export function thinPoints<T>(points: readonly T[], max = MAX_CURVE_POINTS): T[] {
  if (points.length <= max) return [...points];
  const step = (points.length - 1) / (max - 1);
  return Array.from({ length: max }, (_, i) => points[Math.round(i * step)] as T);
}

const rungsOf = (config: CampaignConfig): number[] => (config.pruning.mode === 'none' ? [] : [...config.pruning.rungs]);

/** A curve list's entries grouped by run, in the order the runs first appear, each run thinned to {@link MAX_CURVE_POINTS}. */
function byRun(config: CampaignConfig, entries: readonly EpochEntry[], withMetrics: boolean): CurveRun[] {
  const runs = new Map<string, CurveRun>();
  const { fitnessMetrics } = trainerProfile(config.adapter);
  for (const entry of entries) {
    let run = runs.get(entry.run);
    if (run === undefined) {
      run = { run: entry.run, epochs: null, points: [] };
      runs.set(entry.run, run);
    }
    if (entry.epochs !== undefined) run.epochs = entry.epochs;
    const fitness = epochFitness(entry, config.fitnessWeights, fitnessMetrics);
    const point: CurvePoint = { epoch: entry.epoch, fitness: Number.isFinite(fitness) ? fitness : null, at: entry.at };
    if (withMetrics) point.metrics = entry.metrics ?? null;
    run.points.push(point);
  }
  return [...runs.values()].map((run) => ({ ...run, points: thinPoints(run.points) }));
}

/** Every run's curve of one trial, whatever its status; null for an unknown campaign or trial. */
export async function readTrialCurve(store: CampaignStore, name: string, index: number): Promise<TrialCurve | null> {
  const [config, record] = await Promise.all([store.readConfig(name), store.trials.readTrial(name, index)]);
  if (config === null || record === null) return null;
  const pruned = record.prunedRung === undefined ? null : { rung: record.prunedRung, fitness: record.prunedFitness ?? null, cut: record.pruneCut ?? null };
  return { index, status: record.status ?? null, rungs: rungsOf(config), pruned, runs: byRun(config, await store.trials.readCurve(name, index), true) };
}

/**
 * The curve of each trial of the campaign that runs now (its current run's epochs only, so a
 * retry starts a fresh line), by trial index; null for an unknown campaign. Fitness only: the
 * page polls this every few seconds.
 */
export async function readRunningCurves(redis: RedisClient, store: CampaignStore, name: string): Promise<RunningCurves | null> {
  const config = await store.readConfig(name);
  if (config === null) return null;
  const inflight = (await redis.smembers(store.keys(name).inflight)).map(Number).sort((a, b) => a - b);
  const records = await Promise.all(inflight.map(async (index) => ({ index, record: await store.trials.readTrial(name, index) })));
  const trials = await Promise.all(records.flatMap(({ index, record }) => {
    if (record?.status !== 'running' || record.runName === undefined) return [];
    const current = record.runName;
    return [store.trials.readCurve(name, index).then((entries) => {
      const [run] = byRun(config, entries.filter((entry) => entry.run === current), false);
      return { index, run: current, epochs: run?.epochs ?? record.epochs ?? null, points: run?.points ?? [] };
    })];
  }));
  return { rungs: rungsOf(config), trials };
}

/**
 * The curves of the `top` best succeeded trials and of the latest `top` pruned ones, each its
 * last run (the one that finished); null for an unknown campaign. A trial without a recorded
 * epoch (imported rows) has no line and is left out.
 */
export async function readFinishedCurves(store: CampaignStore, name: string, top: number): Promise<FinishedCurves | null> {
  const [config, state] = await Promise.all([store.readConfig(name), store.readState(name)]);
  if (config === null || state === null) return null;
  const [best, pruned] = await Promise.all([store.readTop(name, top), config.pruning.mode === 'none' ? [] : store.trials.readPruned(name, top)]);
  const wanted = [
    ...best.map(({ index, fitness }) => ({ index, status: 'succeeded' as const, fitness })),
    ...[...pruned].reverse().map(({ index, fitness }) => ({ index, status: 'pruned' as const, fitness: Number.isFinite(fitness) ? fitness : null })),
  ];
  const trials = await Promise.all(wanted.map(async (trial) => {
    const last = byRun(config, await store.trials.readCurve(name, trial.index), false).at(-1);
    return last === undefined ? [] : [{ ...trial, ...last }];
  }));
  return { rungs: rungsOf(config), top, pruned: state.pruned, trials: trials.flat() };
}
