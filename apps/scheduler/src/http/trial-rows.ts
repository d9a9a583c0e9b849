import type { TrialRow } from '@hyperevolve/trial-store';
import type { CampaignStore } from '../campaign/campaign-store.js';

/** Most trials one answer carries; the page asks again from where it stopped. */
const TRIAL_ROWS_PAGE = 2000;

export interface TrialRowsPage {
  issued: number;
  from: number;
  next: number | null;
  trials: TrialRow[];
}

/**
 * Trials `from`… of a campaign (at most {@link TRIAL_ROWS_PAGE}), every one it issued, for the
 * trials table; null for an unknown campaign. `next` is where the following page starts, or
 * null when these are the last issued so far. A damaged trial record is a CorruptStateError
 * naming its key (the dashboard answers 500 with it), never a row with an empty hyp.
 */
export async function readTrialRows(store: CampaignStore, name: string, from: number): Promise<TrialRowsPage | null> {
  const state = await store.readState(name);
  if (state === null) return null;
  const issued = state.nextIndex;
  const end = Math.min(issued, from + TRIAL_ROWS_PAGE);
  const indices: number[] = [];
  for (let index = from; index < end; index++) indices.push(index);
  const rows = indices.length === 0 ? [] : await store.trials.readRows(name, indices);
  const trials = rows.filter((row): row is TrialRow => row !== null);
  return { issued, from, next: end < issued ? end : null, trials };
}
