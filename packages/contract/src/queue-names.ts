/**
 * BullMQ queue names. The braces are a Redis Cluster hash tag: every key of one queue lands
 * in one slot, which BullMQ's Lua scripts require.
 */
export const TRIALS_QUEUE = '{trials}';
export const RESULTS_QUEUE = '{results}';

/** Job id of a trial: one per (campaign, trial index), so re-adding a trial is a no-op. */
export function trialJobId(campaign: string, index: number): string {
  return `${campaign}#${index}`;
}

/** Job id of a result: one per run of a trial (trial index + run name), so a re-post is a no-op. */
export function resultJobId(campaign: string, index: number, runName: string): string {
  return `${campaign}#${index}#${runName}`;
}
