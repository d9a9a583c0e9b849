import { lastLines, type CampaignConfig } from '@hyperevolve/contract';
import { clampAndRound } from '@hyperevolve/ga-core';
import type { CampaignStore } from '../campaign/campaign-store.js';
import { issuedKey } from '../campaign/issued-key.js';

/**
 * Failed trials of the base hyps (since the last resume) that pause the campaign instead of
 * another run of them, once some other trial succeeded: then the base hyps (or something only
 * they do) are to blame. While nothing succeeds the circuit breakers judge (--max-failures, 3
 * failing the same way).
 */
export const BASE_FAILURES_TO_PAUSE = 3;
/** Failures since the last resume looked through for them: base trials are a few of the latest. */
const LOOK_BACK = 50;

/** What the next candidate of a campaign is, as far as its base hyps go. */
export type BaseVerdict =
  /** Breed as usual. */
  | null
  /** The base hyps again, in place of this failed base trial. */
  | { readonly kind: 'rerun'; readonly failed: number }
  /** They failed too often: pause the campaign with this reason. */
  | { readonly kind: 'pause'; readonly reason: string };

/**
 * Whether a campaign's next candidate is its base hyps again: the trial they were last issued
 * to failed, so the campaign has no baseline. Until BASE_FAILURES_TO_PAUSE base trials failed
 * since the last resume while others succeeded: then the campaign pauses.
 * The first trial of a campaign is the base anyway; a campaign whose base was never issued (one
 * seeded from an evolve.csv) gets none. Once a base trial ended otherwise (succeeded, pruned,
 * surplus, cancelled) the campaign is not looked at again.
 */
export class BaseRerun {
  readonly #store: CampaignStore;
  /** Campaigns (name and creation time: a name can be used again) whose base needs no rerun. */
  readonly #settled = new Set<string>();

  constructor(store: CampaignStore) {
    this.#store = store;
  }

  async verdict(config: CampaignConfig, nextIndex: number): Promise<BaseVerdict> {
    if (nextIndex === 0) return null;
    const campaign = `${config.name}@${config.createdAt}`;
    if (this.#settled.has(campaign)) return null;
    const index = await this.#store.readIssuedIndex(config.name, issuedKey(clampAndRound(config.baseHyp, config.space)));
    const [status] = index === null ? ['succeeded'] : await this.#store.trials.readStatuses(config.name, [index]);
    if (status === 'failed' && index !== null) return this.#rerunOrPause(config.name, index);
    // Queued or running: it may still fail. Anything else is final.
    if (status !== 'queued' && status !== 'running') this.#settled.add(campaign);
    return null;
  }

  /** `failed`: the latest base trial, failed; those before it count only since the last resume. */
  async #rerunOrPause(name: string, failed: number): Promise<BaseVerdict> {
    const state = await this.#store.readState(name);
    const current = state === null ? 0 : Math.max(0, state.failed - state.clearedFailures);
    const recent = await this.#store.readFailedIndices(name, Math.min(current, LOOK_BACK));
    const records = await this.#store.trials.readOrigins(name, recent);
    const bases = recent.filter((_, i) => records[i]?.origin === 'base');
    if (bases.length < BASE_FAILURES_TO_PAUSE || (state?.recorded ?? 0) === 0) return { kind: 'rerun', failed };
    const error = lastLines(records[recent.lastIndexOf(bases.at(-1) ?? -1)]?.error ?? '', 1)[0] ?? 'no error recorded';
    return {
      kind: 'pause',
      reason: `the base hyps failed in ${bases.length} trials (${bases.join(', ')}; the last: ${error}), so the campaign has no baseline. ` +
        `Read their logs (scheduler status), check the base hyps (enqueue --hyp) and the command, then scheduler resume --name ${name}: the base runs again`,
    };
  }
}
