export { YOLOV5_DETECTION_SPACE, parseSearchSpace, validateSearchSpace, withIntegerHyps } from './space.js';
export type { Gene, SearchSpace } from './space.js';
export { compileBaseHyp } from './campaign-hyp.js';
export { fitness } from './fitness.js';
export type { FitnessWeights } from './fitness.js';
export { pyRound } from './round.js';
export { trialRng } from './prng.js';
export type { Rng } from './prng.js';
export { TOP_N, selectParent } from './selection.js';
export type { ParentSelection, Scored, Selection } from './selection.js';
export {
  FACTOR_MAX,
  FACTOR_MIN,
  HYP_DECIMALS,
  MUTATION_PROBABILITY,
  MUTATION_SIGMA,
  clampAndRound,
  mutate,
  mutationFactors,
} from './mutation.js';
export type { MutationRates } from './mutation.js';
export { breedCandidate, hypFingerprint } from './breed.js';
export type { BreedInput, Candidate } from './breed.js';
