import type { CampaignView } from './status-view.js';

/** A campaign's failed trials that are current, since its last resume. */
export function currentFailures(c: Pick<CampaignView, 'failed' | 'clearedFailures'>): number {
  return Math.max(0, c.failed - (c.clearedFailures ?? 0));
}

/**
 * Its failed trials as `status` and the dashboard show them: the current ones, and those a
 * resume cleared (history: their records stay), `3` or `0 (+3 before the last resume)`.
 */
export function failedLabel(c: Pick<CampaignView, 'failed' | 'clearedFailures'>): string {
  const cleared = c.failed - currentFailures(c);
  return cleared === 0 ? String(c.failed) : `${currentFailures(c)} (+${cleared} before the last resume)`;
}
