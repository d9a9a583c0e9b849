import { clampAndRound } from '@hyperevolve/ga-core';
import type { CampaignConfig } from '@hyperevolve/contract';
import type { CampaignStore } from '../campaign/campaign-store.js';
import { issuedKey } from '../campaign/issued-key.js';

/**
 * Whether a campaign's next candidate is its base hyps again: the trial they were last issued
 * to failed, so the campaign has no baseline. The first trial of a campaign is the base anyway;
 * a campaign whose base was never issued (one seeded from an evolve.csv) gets none. Once a base
 * trial ended otherwise (succeeded, pruned, surplus, cancelled) the campaign is not looked at
 * again.
 */
export class BaseRerun {
  readonly #store: CampaignStore;
  /** Campaigns (name and creation time: a name can be used again) whose base needs no rerun. */
  readonly #settled = new Set<string>();

  constructor(store: CampaignStore) {
    this.#store = store;
  }

  /** The failed base trial to issue the base hyps again in place of, or null. */
  async failedBase(config: CampaignConfig, nextIndex: number): Promise<number | null> {
    if (nextIndex === 0) return null;
    const campaign = `${config.name}@${config.createdAt}`;
    if (this.#settled.has(campaign)) return null;
    const index = await this.#store.readIssuedIndex(config.name, issuedKey(clampAndRound(config.baseHyp, config.space)));
    const [status] = index === null ? ['succeeded'] : await this.#store.trials.readStatuses(config.name, [index]);
    if (status === 'failed') return index;
    // Queued or running: it may still fail. Anything else is final.
    if (status !== 'queued' && status !== 'running') this.#settled.add(campaign);
    return null;
  }
}
