import type { CampaignView } from './status-view.js';

/**
 * Bred trials not yet running, as `status` and the dashboard name them: waiting for a worker
 * while the campaign runs; held back (off the queue until resume) while it is paused; none
 * shown once it is cancelled or done, since they never run.
 */
export function queuedView(c: Pick<CampaignView, 'status' | 'queued'>): { label: 'waiting' | 'held'; count: number } | null {
  if (c.status === 'running') return { label: 'waiting', count: c.queued };
  if (c.status === 'paused') return { label: 'held', count: c.queued };
  return null;
}
