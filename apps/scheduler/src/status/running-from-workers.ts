import { commandProgram, countAllowing, describeAllowedCommands } from '@hyperevolve/contract';
import type { CampaignView, WorkerView } from './status-view.js';

/**
 * A campaign's line completed from what the workers report: how many of its trials run now,
 * and, when the workers are why nothing runs, what it waits for.
 */
export function campaignWithWorkers(campaign: CampaignView, command: readonly string[] | null, workers: readonly WorkerView[]): CampaignView {
  return { ...runningFromWorkers(campaign, workers), waitingFor: command === null ? null : waitingForWorker(campaign, command, workers) };
}

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

/**
 * Why a running campaign with trials to go gets none run, when the workers are the reason
 * (the scheduler queues its trials only while a live worker allows its command); else null.
 */
export function waitingForWorker(campaign: CampaignView, command: readonly string[], workers: readonly WorkerView[]): string | null {
  if (campaign.status !== 'running' || campaign.recorded >= campaign.budget) return null;
  const program = commandProgram(command);
  const live = workers.filter((w) => !w.silent);
  if (live.length === 0) return `no live worker; start one, e.g. worker --device 0 --allow-command "${program}"`;
  if (countAllowing(live.map((w) => w.allowed), command) > 0) return null;
  const lists = [...new Set(live.flatMap((w) => (w.allowed === null ? [] : [describeAllowedCommands(w.allowed)])))];
  return `no live worker allows \`${program}\` (${live.length === 1 ? 'the live worker allows' : 'the live workers allow'} ${lists.join('; ')}); ` +
    `start one with --allow-command "${program}"`;
}
