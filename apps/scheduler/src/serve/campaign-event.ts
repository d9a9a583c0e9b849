import type { CampaignState } from '@hyperevolve/contract';
import { formatG } from '@hyperevolve/ga-core';

/** Something about a campaign worth a message: it finished, or it paused (and why). */
export interface CampaignEvent {
  readonly kind: 'done' | 'paused' | 'circuit-breaker';
  readonly campaign: string;
  /** The same for every scheduler replica that sees this event, and for no other event of the campaign. */
  readonly key: string;
  /** One line for people (Slack's `text`). */
  readonly text: string;
  readonly state: CampaignState;
}

const BREAKER = 'circuit breaker: ';

/**
 * The claim key of a pause: its reason, which stays as it was for as long as the pause lasts
 * (the counters do not: trials under way still finish and are recorded while a campaign is
 * paused, so two replicas reading it at different moments would see two events). A pause ends
 * when its campaign leaves it; the notifier then drops the claim, so a later pause for the same
 * reason is news again.
 */
export function pauseKey(state: CampaignState): string {
  return `paused:${state.pausedReason ?? ''}`;
}

/**
 * The event a campaign's state change means, if any. `previous` is the state last seen, `new`
 * for a campaign created since (its first state may already be done), undefined when there is
 * nothing to compare with (this scheduler's first look: what happened before it is not news).
 */
export function campaignEvent(campaign: string, previous: CampaignState | 'new' | undefined, current: CampaignState): CampaignEvent | null {
  if (previous === undefined) return null;
  const was = previous === 'new' ? null : previous.status;
  // A pause whose reason changed (the breaker's replaced by the repeated failure it found) is
  // news: the notifier drops the old reason's claim, and the new reason is claimed and sent once.
  const newReason = was === 'paused' && previous !== 'new' && current.status === 'paused' && pauseKey(previous) !== pauseKey(current);
  if (current.status === was && !newReason) return null;
  if (current.status === 'done') {
    const best = current.bestFitness === undefined ? 'no trial succeeded' : `best fitness ${formatG(current.bestFitness, 0)} (trial ${current.bestTrial ?? '?'}); scheduler best --name ${campaign} prints its hyps`;
    const failed = current.failed > 0 ? ` (${current.failed} failed)` : '';
    return { kind: 'done', campaign, key: `done:${current.finishedAt ?? current.recorded}`, state: current, text: `hyperevolve: campaign ${campaign} is done: ${current.recorded} trials recorded${failed}; ${best}.` };
  }
  if (current.status === 'paused') {
    const reason = current.pausedReason ?? 'no reason recorded';
    const key = pauseKey(current);
    if (reason.startsWith(BREAKER)) {
      return { kind: 'circuit-breaker', campaign, key, state: current, text: `hyperevolve: campaign ${campaign} was paused by its circuit breaker: ${reason.slice(BREAKER.length)}` };
    }
    return { kind: 'paused', campaign, key, state: current, text: `hyperevolve: campaign ${campaign} is paused: ${reason}; scheduler resume --name ${campaign} continues it` };
  }
  return null;
}

/**
 * The webhook's body: Slack's (and Mattermost's, Rocket.Chat's) `{"text": …}`, and the same
 * facts as fields under `hyperevolve` for a program to read.
 */
export function webhookBody(event: CampaignEvent): string {
  const { state } = event;
  return JSON.stringify({
    text: event.text,
    hyperevolve: {
      event: event.kind,
      campaign: event.campaign,
      status: state.status,
      reason: state.status === 'paused' ? (state.pausedReason ?? null) : null,
      recorded: state.recorded,
      budget: state.budget,
      failed: state.failed,
      bestFitness: state.bestFitness ?? null,
      bestTrial: state.bestTrial ?? null,
    },
  });
}
