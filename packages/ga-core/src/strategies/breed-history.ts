/**
 * Counts over all finished trials, read in the same snapshot as the population. Strategies that
 * adapt to progress read them (Ultralytics' Tuner decays its steps while the best is stale).
 */
export interface BreedHistory {
  /** Finished trials (the population's size), of which `population` holds the best. */
  readonly finished: number;
  /**
   * Finished trials recorded after the best one, counted up to {@link SINCE_BEST_HORIZON}: a
   * larger count reads as the horizon.
   */
  readonly sinceBest: number;
}

/** How far back breeding looks for the best: the scheduler reads at most this many rows. */
export const SINCE_BEST_HORIZON = 50;

/** The history of a population read whole (tests, preview, simulations): rows in `population` order. */
export function historyOf(population: readonly { readonly fitness: number }[]): BreedHistory {
  let bestAt = -1;
  population.forEach((trial, i) => {
    if (Number.isFinite(trial.fitness) && (bestAt < 0 || trial.fitness > (population[bestAt]?.fitness ?? Number.NaN))) bestAt = i;
  });
  const finished = population.filter((trial) => Number.isFinite(trial.fitness)).length;
  const since = bestAt < 0 ? 0 : population.slice(bestAt + 1).filter((trial) => Number.isFinite(trial.fitness)).length;
  return { finished, sinceBest: Math.min(since, SINCE_BEST_HORIZON) };
}
