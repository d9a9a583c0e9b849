import { z } from 'zod';
import { describeZodError } from '../describe-zod-error.js';
import { GaInputError } from '../ga-input-error.js';
import { hypFrom, ownValue } from '../ga/hyp-record.js';
import { MUTATION_PROBABILITY, MUTATION_SIGMA, mutate, stuckAtZeroWarning, type MutationRates } from '../ga/mutation.js';
import { TOP_N, selectParent, type ParentSelection } from '../ga/selection.js';
import type { BreedContext, BreedStrategy, Breeding, Proposal } from './breed-strategy.js';

/** YOLOv5 v7.0's constants, each overridable per campaign. */
const ParamsSchema = z.strictObject({
  /** Parents come from the best `topN` finished trials. */
  topN: z.number().int().min(1).max(1000).default(TOP_N),
  /** Probability that a hyp with gain > 0 is perturbed (YOLOv5's mp). */
  mutationProbability: z.number().gt(0).max(1).default(MUTATION_PROBABILITY),
  /** Scale of the perturbation (YOLOv5's s). */
  sigma: z.number().gt(0).max(10).default(MUTATION_SIGMA),
});
type Params = z.infer<typeof ParamsSchema>;

/**
 * YOLOv5 v7.0's steady-state GA: parents from the top n = min(topN, size) finished trials by
 * fitness, weights w = f − min(f) + 1e-6; `single` mutates one parent drawn ∝ w, `weighted` the
 * w-weighted mean of all n. Mutation: r ~ U(0,1) per candidate, per hyp u ~ U(0,1), z ~ N(0,1),
 * v = clip(1 + gain·[u < mp]·z·r·σ, 0.3, 3.0), redrawn until some v ≠ 1; clamped to the space
 * and rounded to 5 decimals. While no trial has finished, candidates are mutations of the base.
 */
function yolov5V7(mode: ParentSelection, summary: string): BreedStrategy {
  return Object.freeze({
    name: mode,
    summary,
    configure(raw: Readonly<Record<string, unknown>>): Breeding {
      const parsed = ParamsSchema.safeParse(raw);
      if (!parsed.success) {
        throw new GaInputError(`strategy ${mode}: ${describeZodError(parsed.error, 'params')}; it takes topN, mutationProbability and sigma`, { where: 'strategy params' });
      }
      const params = parsed.data;
      return {
        name: mode,
        poolSize: params.topN,
        propose: (context) => propose(context, mode, params),
        review: (base, space) => [stuckAtZeroWarning(base, space)].filter((warning) => warning !== null),
      };
    },
  });
}

function propose(context: BreedContext, mode: ParentSelection, params: Params): Proposal {
  const { base, space, population, rng } = context;
  const rates: MutationRates = { probability: params.mutationProbability, sigma: params.sigma };
  if (population.length === 0) {
    return { hyp: mutate(base, space, rng, rates), parentIds: [], pool: [], origin: 'base-mutation' };
  }
  const selection = selectParent(population, mode, rng, Object.keys(space), params.topN);
  // Space keys come from the parent(s), all other keys from the base, in the base's key order.
  const start = hypFrom(Object.keys(base), (key) => {
    if (!Object.hasOwn(space, key)) return base[key] ?? Number.NaN;
    const parentValue = ownValue(selection.hyp, key);
    if (parentValue === undefined) {
      throw new GaInputError(
        `parent trial ${selection.parentIds.join(', ')} has no value for search space hyp ${key}`,
        { where: `trial ${selection.parentIds.join(', ')}` },
      );
    }
    return parentValue;
  });
  return { hyp: mutate(start, space, rng, rates), parentIds: selection.parentIds, pool: selection.pool, origin: 'population' };
}

/** YOLOv5 v7.0's default: one parent drawn from the top 5 with probability ∝ its weight. */
export const yolov5Single = yolov5V7('single', 'YOLOv5 v7.0: mutate one parent drawn from the top 5, ∝ fitness');
/** YOLOv5 v7.0's alternative: the weighted mean of the top 5. */
export const yolov5Weighted = yolov5V7('weighted', 'YOLOv5 v7.0: mutate the fitness-weighted mean of the top 5');
