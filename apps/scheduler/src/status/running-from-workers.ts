import type { CampaignView, WorkerView } from './status-view.js';

/**
 * A campaign's running count as its workers report it. A trial hash says `running` from the
 * moment a worker starts it until its result is recorded, so a run that a stopping or killed
 * worker handed back (or whose job a pause then took off the queue) would still count as
 * running while no worker runs it: `running 2 held 0` on a paused campaign beside an idle
 * worker. Heartbeats name the trial each worker runs now; the rest of the in-flight trials are
 * waiting (or held, while paused).
 */
export function runningFromWorkers(campaign: CampaignView, workers: readonly WorkerView[]): CampaignView {
  const busy = workers.filter((w) => w.currentTrial !== null && w.currentTrial.startsWith(`${campaign.name}/`)).length;
  // A heartbeat may name a trial for a moment after its result was recorded: never more than in flight.
  const running = Math.min(campaign.inflight, busy);
  return { ...campaign, running, queued: campaign.inflight - running };
}
