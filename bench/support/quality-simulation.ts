import {
  YOLOV5_DEFAULT_HYP,
  YOLOV5_DETECTION_SPACE,
  breedCandidate,
  compileBaseHyp,
  fitness,
  hypFingerprint,
  trialRng,
  type Hyp,
  configureStrategy,
  type StrategyName,
  type Scored,
  yolov5Profile,
} from '@hyperevolve/ga-core';
import { landscapeFitness, qualityToMetrics, simulatedQuality } from '@hyperevolve/sim-train';

export interface SimulatedCampaign {
  workers: number;
  trials: number;
  seed: number;
  strategy: StrategyName;
  /** Bred candidates kept waiting beyond the idle workers, as `scheduler serve --lookahead`. */
  lookahead: number;
  /** sim-train's --noise: standard deviation added to the quality of each run. */
  noise: number;
}

export interface CampaignOutcome {
  /** The best recorded (noisy) fitness: what `scheduler best` reports. */
  best: number;
  /** The noise-free landscape fitness of that best trial's hyps. */
  bestTrue: number;
}

interface Running {
  index: number;
  hyp: Hyp;
  end: number;
}

const DURATION_SPREAD = 0.25;
const BASE = compileBaseHyp(YOLOV5_DEFAULT_HYP, YOLOV5_DETECTION_SPACE).base;

/**
 * A discrete-event simulation of one campaign under `scheduler serve`'s rules, in virtual time:
 * W workers; trial durations D·exp(0.25·z), seeded per trial, so workers drift apart as real
 * ones do; when a run ends its worker first takes a waiting candidate (if any), then the result
 * is recorded and the top-up breeds `idle + lookahead − waiting` candidates from the population
 * as it is now, so every candidate sees exactly the results finished before it was bred. Breeding
 * is ga-core's breedCandidate with the campaign's per-index streams and duplicate rejection; a
 * run's fitness is sim-train's landscape with its noise.
 */
export function simulateCampaign(options: SimulatedCampaign): CampaignOutcome {
  const strategy = configureStrategy({ name: options.strategy, params: {} });
  const population: Scored[] = [];
  const fingerprints = new Set<string>();
  const waiting: { index: number; hyp: Hyp }[] = [];
  const running: Running[] = [];
  let nextIndex = 0;
  let now = 0;

  const breed = (): void => {
    if (nextIndex >= options.trials) return;
    const candidate = breedCandidate({
      base: BASE,
      space: YOLOV5_DETECTION_SPACE,
      population: topOf(population, strategy.poolSize),
      strategy,
      rng: trialRng(options.seed, nextIndex),
      first: nextIndex === 0,
      isDuplicate: (hyp) => fingerprints.has(hypFingerprint(hyp)),
    });
    fingerprints.add(hypFingerprint(candidate.hyp));
    waiting.push({ index: nextIndex, hyp: candidate.hyp });
    nextIndex += 1;
  };
  const topUp = (): void => {
    const deficit = options.workers - running.length + options.lookahead - waiting.length;
    for (let i = 0; i < deficit; i++) breed();
  };
  const startWaiting = (): void => {
    while (running.length < options.workers && waiting.length > 0) {
      const next = waiting.shift();
      if (next === undefined) break;
      const duration = Math.exp(DURATION_SPREAD * trialRng(options.seed + 1_000_003, next.index).normal());
      running.push({ ...next, end: now + duration });
    }
  };

  topUp();
  startWaiting();
  while (running.length > 0) {
    running.sort((a, b) => a.end - b.end);
    const done = running.shift();
    if (done === undefined) break;
    now = done.end;
    startWaiting();
    const quality = simulatedQuality(done.hyp, { seed: options.seed, runName: `${done.index}-1`, sigma: options.noise });
    population.push({ id: done.index, fitness: fitness(qualityToMetrics(quality), yolov5Profile.defaultFitnessWeights, yolov5Profile.fitnessMetrics), hyp: done.hyp });
    topUp();
    startWaiting();
  }
  const best = population.reduce((a, b) => (b.fitness > a.fitness ? b : a));
  return { best: best.fitness, bestTrue: landscapeFitness(best.hyp) };
}

/** The top n by fitness, best first: what the breeder reads from the population zset. */
function topOf(population: readonly Scored[], n: number): Scored[] {
  return [...population].sort((a, b) => b.fitness - a.fitness || b.id - a.id).slice(0, n);
}
