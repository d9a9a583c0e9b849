/**
 * @hyperevolve/contract — what the scheduler and the workers agree on: job and result
 * schemas (zod), queue names and the Redis key layout. Both apps import it; nothing else
 * defines these shapes.
 *
 * @example
 * ```ts
 * import { TRIALS_QUEUE, TrialJobSchema, campaignKeys } from '@hyperevolve/contract';
 *
 * const job = TrialJobSchema.parse(raw.data);         // garbage from Redis fails here
 * const keys = campaignKeys('hyperevolve', job.campaign);
 * await redis.get(keys.config);                     // trial hashes: only through @hyperevolve/trial-store
 * ```
 */
export * from './queue-names.js';
export * from './keys.js';
export * from './plugins.js';
export * from './schemas.js';
export * from './trial-job-return.js';
export * from './prune-settings-schema.js';
export * from './metrics-wire.js';
export * from './trial-record.js';
export * from './corrupt-state-error.js';
export * from './epoch-entry.js';
export * from './trainer-limits.js';
export * from './epoch-fitness.js';
export { describeZodError } from '@hyperevolve/ga-core';
export * from './allowed-commands.js';
export * from './keep-artifacts.js';
export * from './disk-use.js';
export * from './failure-signature.js';
