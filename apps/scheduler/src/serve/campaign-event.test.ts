import { describe, expect, it } from 'vitest';
import type { CampaignState } from '@hyperevolve/contract';
import { campaignEvent, webhookBody } from './campaign-event.js';

const state = (over: Partial<CampaignState>): CampaignState => ({ status: 'running', budget: 10, nextIndex: 0, recorded: 0, failed: 0, consecutiveFailures: 0, clearedFailures: 0, sameFailures: 0, exportedRows: 0, epochs: 0, pruned: 0, prunedMs: 0, ...over });

describe('campaignEvent', () => {
  it('is news only for a change this scheduler saw, or a campaign created since it looked', () => {
    const done = state({ status: 'done', recorded: 10, bestFitness: 0.123456, bestTrial: 7, finishedAt: 99 });
    expect(campaignEvent('exp', undefined, done)).toBeNull();
    expect(campaignEvent('exp', done, done)).toBeNull();
    expect(campaignEvent('exp', state({}), state({ recorded: 3 }))).toBeNull();
    expect(campaignEvent('exp', state({}), done)).toMatchObject({ kind: 'done', key: 'done:99', text: 'hyperevolve: campaign exp is done: 10 trials recorded; best fitness 0.12346 (trial 7); scheduler best --name exp prints its hyps.' });
    expect(campaignEvent('exp', 'new', done)?.kind).toBe('done');
  });

  it('tells a pause by its circuit breaker from one by the user, with the reason', () => {
    const breaker = state({ status: 'paused', failed: 3, consecutiveFailures: 3, pausedReason: 'circuit breaker: 3 trials failed in a row; read their logs' });
    expect(campaignEvent('exp', state({}), breaker)).toMatchObject({ kind: 'circuit-breaker', key: 'paused:circuit breaker: 3 trials failed in a row; read their logs', text: 'hyperevolve: campaign exp was paused by its circuit breaker: 3 trials failed in a row; read their logs' });
    const user = state({ status: 'paused', recorded: 4, pausedReason: 'paused by the user (scheduler pause)' });
    expect(campaignEvent('exp', state({}), user)?.text).toBe('hyperevolve: campaign exp is paused: paused by the user (scheduler pause); scheduler resume --name exp continues it');
    expect(campaignEvent('exp', state({ status: 'paused' }), state({}))).toBeNull();
  });

  it('gives one pause one key while trials under way still finish (two replicas may read it before and after one lands)', () => {
    const breaker = state({ status: 'paused', failed: 3, consecutiveFailures: 3, pausedReason: 'circuit breaker: 3 trials failed in a row; read their logs' });
    const later = { ...breaker, recorded: 1, failed: 4, consecutiveFailures: 4 };
    expect(campaignEvent('exp', state({}), later)?.key).toBe(campaignEvent('exp', state({}), breaker)?.key);
    expect(campaignEvent('exp', breaker, later)).toBeNull();
  });

  it('is news again when a paused campaign\'s reason changes (the breaker\'s replaced by the repeated failure it found)', () => {
    const breaker = state({ status: 'paused', failed: 2, pausedReason: 'circuit breaker: 2 trials failed in a row; read their logs' });
    const same = { ...breaker, failed: 3, pausedReason: 'circuit breaker: 3 trials in a row failed the same way (exit-code)' };
    expect(campaignEvent('exp', breaker, same)).toMatchObject({ kind: 'circuit-breaker', key: 'paused:circuit breaker: 3 trials in a row failed the same way (exit-code)' });
  });

  it('sends Slack\'s {"text"} with the facts beside it', () => {
    const event = campaignEvent('exp', state({}), state({ status: 'done', recorded: 2, failed: 1, bestFitness: 0.5, bestTrial: 0 }));
    if (event === null) throw new Error('expected an event');
    expect(JSON.parse(webhookBody(event))).toEqual({
      text: 'hyperevolve: campaign exp is done: 2 trials recorded (1 failed); best fitness 0.5 (trial 0); scheduler best --name exp prints its hyps.',
      hyperevolve: { event: 'done', campaign: 'exp', status: 'done', reason: null, recorded: 2, budget: 10, failed: 1, bestFitness: 0.5, bestTrial: 0 },
    });
  });
});
