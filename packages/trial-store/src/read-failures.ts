import { FAILURE_VIEW, type CampaignKeys, type FailureViewOf, type FailureViewSpec, type TRIAL_FIELDS, type TrialFieldName, type TrialRecord } from '@hyperevolve/contract';
import type { RedisClient } from '@hyperevolve/runtime';
import { readManyFields } from './trial-fields.js';

/** A failed trial as `status` and the dashboard list it: what went wrong, where, and its log (contract's FAILURE_VIEW). */
export type TrialFailureRecord = FailureViewOf<typeof TRIAL_FIELDS, typeof FAILURE_VIEW>;

/**
 * One failed trial as `view` shows it: index, error ('unknown' when the record has none), then
 * each field of the view in its order, null where the record lacks it.
 */
export function failureView<View extends FailureViewSpec<typeof TRIAL_FIELDS>>(index: number, record: TrialRecord, view: View): FailureViewOf<typeof TRIAL_FIELDS, View> {
  const shown: Record<string, unknown> = { index, error: record.error ?? 'unknown' };
  for (const name of Object.keys(view) as TrialFieldName[]) shown[name] = record[name] ?? null;
  return shown as FailureViewOf<typeof TRIAL_FIELDS, View>;
}

export async function readFailures(redis: RedisClient, keys: CampaignKeys, indices: readonly number[]): Promise<TrialFailureRecord[]> {
  const viewed = Object.keys(FAILURE_VIEW) as TrialFieldName[];
  const records = await readManyFields(redis, indices.map((index) => keys.trial(index)), ['error', ...viewed]);
  return records.map((record, i) => failureView(indices[i] ?? -1, record, FAILURE_VIEW));
}
