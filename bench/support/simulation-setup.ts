/**
 * The simulated campaigns the pruning and per-GPU quality scenarios share: 300 full trials on
 * 8 workers, 10 epochs a run, fitness noise 0.01, `scheduler serve`'s look-ahead, and the two
 * rank correlations between the first rung and the end (0.9: a first rung that predicts the end
 * well; 0.6: poorly). Pruning is judged at the first rung; an unpruned run's end does not depend on it.
 */
export const SIMULATION = { trials: 300, workers: 8, epochs: 10, noise: 0.01, lookahead: 1, correlations: [0.6, 0.9] } as const;
