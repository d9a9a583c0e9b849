import type { Queues } from './queues.js';

/**
 * Takes a campaign's not-yet-started trial jobs off the queue (pause, cancel, circuit
 * breaker), so no worker spends a GPU on them. Their trials stay in flight and are
 * re-queued by the reconciler once the campaign runs again.
 */
export async function removeQueuedJobs(queues: Queues, campaign: string): Promise<number> {
  const jobs = await queues.trials.getJobs(['waiting', 'delayed', 'prioritized', 'paused']);
  let removed = 0;
  for (const job of jobs) {
    const data = job.data as { campaign?: unknown } | undefined;
    if (data?.campaign !== campaign) continue;
    try {
      await job.remove();
      removed += 1;
    } catch {
      // Taken by a worker in the meantime: it checks the campaign's status before running.
    }
  }
  return removed;
}
