import { z } from 'zod';
import { NO_PRUNING, PRUNE_MODES, type PruneSettings } from '@hyperevolve/ga-core';

/**
 * How a campaign prunes (ga-core's PruneSettings, compiled at enqueue by the --prune rule from its
 * params, --prune-param and the shorthands): carried in every trial job, so the worker running a trial
 * judges it at each rung. Campaigns and jobs from before pruning read as `none`; those from
 * before windows as window null (every trial at the rung), so they decide as they always did.
 */
export const PruneSettingsSchema: z.ZodType<PruneSettings, unknown> = z.object({
  mode: z.enum(PRUNE_MODES),
  rungs: z.array(z.number().int().min(1)),
  eta: z.number().gt(1),
  minPeers: z.number().int().min(1),
  window: z.number().int().min(1).nullable().default(null),
  params: z.record(z.string(), z.number()).optional(),
});

/** A campaign's or a job's `pruning`: `none` where it has none (written before pruning). */
export const PruningSchema = PruneSettingsSchema.default((): PruneSettings => ({ ...NO_PRUNING, rungs: [] }));
