import {
  NO_PRUNING,
  breedCandidate,
  configureStrategy,
  decideAtRung,
  fitness,
  hypFingerprint,
  historyOf,
  trialRng,
  yolov5Profile,
  type Hyp,
  type PruneSettings,
  type RungArrival,
  type Scored,
  type StrategyName,
} from '@hyperevolve/ga-core';
import { landscapeFitness, qualityAfter, qualityToMetrics, runLuck, simulatedQuality, type CurveShape } from '@hyperevolve/sim-train';
import { YOLOV5_SEARCH, type SimulatedSearch } from './simulated-search.js';

export interface SimulatedCampaign {
  workers: number;
  /** The budget: full trials (pruned ones do not count), as `enqueue --generations`. */
  trials: number;
  seed: number;
  strategy: StrategyName;
  /** Bred candidates kept waiting beyond the idle workers, as `scheduler serve --lookahead`. */
  lookahead: number;
  /** sim-train's --noise: standard deviation added to the quality of each run. */
  noise: number;
  /** Epochs per run, each 1/epochs of its duration; default 1. */
  epochs?: number;
  /** sim-train's --rank-correlation at the first rung (the first of `pruning.rungs`, else 1); default 1. */
  rankCorrelation?: number;
  /** Default: none. */
  pruning?: PruneSettings;
  /** The base, space and landscape; default YOLOv5's. */
  search?: SimulatedSearch;
  /** GPU time each run spends before its first epoch (imports, model build, data loading), in epochs; default 0. */
  startCost?: number;
}

export interface CampaignOutcome {
  /** The best recorded (noisy) fitness: what `scheduler best` reports. */
  best: number;
  /** The noise-free landscape fitness of that best trial's hyps. */
  bestTrue: number;
  /** One point per full trial recorded, in time order: GPU time used by then (sum of run time) and the best so far. */
  trace: { gpu: number; best: number }[];
  /** GPU time of the whole campaign, in mean trial durations (a full run lasts exp(0.25·z)). */
  gpu: number;
  issued: number;
  pruned: number;
  /** [fitness after the first epoch, final fitness] of every trial run to its end. */
  firstVsFinal: [number, number][];
}

interface Running {
  index: number;
  hyp: Hyp;
  start: number;
  duration: number;
  epochsDone: number;
  finalQuality: number;
  luck: number;
  firstFitness: number;
}

const DURATION_SPREAD = 0.25;
const fitnessOf = (quality: number): number => fitness(qualityToMetrics(quality), yolov5Profile.defaultFitnessWeights, yolov5Profile.fitnessMetrics);

/**
 * A discrete-event simulation of one campaign under `scheduler serve`'s rules, in virtual time:
 * W workers; trial durations D·exp(0.25·z), seeded per trial, so workers drift apart as real
 * ones do; each run's epochs end at equal steps of its duration, after its start cost. When a run ends (or is pruned)
 * its worker first takes a waiting candidate (if any), then a full run's result is recorded and
 * the top-up breeds `idle + lookahead − waiting` candidates (never more than the full trials
 * still owed) from the population as it is now, so every candidate sees exactly the results
 * finished before it was bred. Breeding is ga-core's breedCandidate with the campaign's
 * per-index streams and duplicate rejection; a run's final fitness is sim-train's landscape
 * with its noise, its fitness after each epoch sim-train's learning curve; at each rung
 * ga-core's decideAtRung judges it against the entries stored at that rung (in arrival order).
 * Pruned runs are never parents and do not count toward the budget.
 */
export function simulateCampaign(options: SimulatedCampaign): CampaignOutcome {
  const epochs = options.epochs ?? 1;
  const pruning = options.pruning ?? NO_PRUNING;
  const shape: CurveShape = { epochs, rankCorrelation: options.rankCorrelation ?? 1, firstRung: pruning.rungs[0] ?? 1 };
  const strategy = configureStrategy({ name: options.strategy, params: {} });
  const search = options.search ?? YOLOV5_SEARCH;
  const population: Scored[] = [];
  const fingerprints = new Set<string>();
  const waiting: { index: number; hyp: Hyp }[] = [];
  const running: Running[] = [];
  /** Each rung's entries in arrival order, as a windowed rung's log keeps them. */
  const atRung = new Map<number, RungArrival[]>();
  const startCost = options.startCost ?? 0;
  const outcome: CampaignOutcome = { best: Number.NaN, bestTrue: Number.NaN, trace: [], gpu: 0, issued: 0, pruned: 0, firstVsFinal: [] };
  let best: Scored | undefined;
  let gpuEnded = 0;
  let now = 0;

  const nextEvent = (run: Running): number => run.start + ((startCost + run.epochsDone + 1) * run.duration) / epochs;
  const breed = (): void => {
    const index = outcome.issued;
    const candidate = breedCandidate({
      base: search.base,
      space: search.space,
      population: topOf(population, strategy.poolSize),
      history: historyOf(population),
      strategy,
      rng: trialRng(options.seed, index),
      first: index === 0,
      isDuplicate: (hyp) => fingerprints.has(hypFingerprint(hyp)),
    });
    fingerprints.add(hypFingerprint(candidate.hyp));
    waiting.push({ index, hyp: candidate.hyp });
    outcome.issued += 1;
  };
  const topUp = (): void => {
    const owed = options.trials - population.length - running.length - waiting.length;
    const deficit = Math.min(owed, options.workers - running.length + options.lookahead - waiting.length);
    for (let i = 0; i < deficit; i++) breed();
  };
  const startWaiting = (): void => {
    while (running.length < options.workers && waiting.length > 0) {
      const next = waiting.shift();
      if (next === undefined) break;
      const duration = Math.exp(DURATION_SPREAD * trialRng(options.seed + 1_000_003, next.index).normal());
      const runName = `${next.index}-1`;
      const finalQuality = simulatedQuality(next.hyp, { seed: options.seed, runName, sigma: options.noise }, search.landscape);
      running.push({ ...next, start: now, duration, epochsDone: 0, finalQuality, luck: runLuck(options.seed, runName), firstFitness: Number.NaN });
    }
  };
  const gpuNow = (): number => gpuEnded + running.reduce((sum, run) => sum + (now - run.start), 0);

  topUp();
  startWaiting();
  while (running.length > 0) {
    running.sort((a, b) => nextEvent(a) - nextEvent(b) || a.index - b.index);
    const run = running[0];
    if (run === undefined) break;
    now = nextEvent(run);
    run.epochsDone += 1;
    if (run.epochsDone < epochs) {
      const reached = fitnessOf(qualityAfter(shape, run.finalQuality, run.luck, run.epochsDone));
      if (run.epochsDone === 1) run.firstFitness = reached;
      const arrivals = atRung.get(run.epochsDone) ?? [];
      if (pruning.rungs.includes(run.epochsDone)) {
        arrivals.push({ index: run.index, fitness: reached });
        atRung.set(run.epochsDone, arrivals);
      }
      const decision = decideAtRung({ settings: pruning, epoch: run.epochsDone, fitness: reached, arrivals, index: run.index });
      if (decision.kind !== 'prune') continue;
      running.shift();
      gpuEnded += now - run.start;
      outcome.pruned += 1;
      startWaiting();
      topUp();
      startWaiting();
      continue;
    }
    running.shift();
    gpuEnded += now - run.start;
    startWaiting();
    const scored: Scored = { id: run.index, fitness: fitnessOf(run.finalQuality), hyp: run.hyp };
    population.push(scored);
    if (best === undefined || scored.fitness > best.fitness) best = scored;
    outcome.trace.push({ gpu: gpuNow(), best: best.fitness });
    outcome.firstVsFinal.push([epochs === 1 ? scored.fitness : run.firstFitness, scored.fitness]);
    topUp();
    startWaiting();
  }
  if (best === undefined) throw new Error('simulated campaign recorded no trial');
  outcome.best = best.fitness;
  outcome.bestTrue = landscapeFitness(best.hyp, search.landscape);
  outcome.gpu = gpuEnded;
  return outcome;
}

/** The top n by fitness, best first: what the breeder reads from the population zset. */
function topOf(population: readonly Scored[], n: number): Scored[] {
  return [...population].sort((a, b) => b.fitness - a.fitness || b.id - a.id).slice(0, n);
}
