import { CampaignError } from '../errors.js';
import type { CampaignStore } from './campaign-store.js';

/**
 * `--name` when given; without it, the only campaign when Redis holds exactly one (what a
 * first-hour user has), else exit 2 naming the campaigns to choose from.
 * @param verb the scheduler verb, for the message
 */
export async function campaignNameOrOnly(store: CampaignStore, name: string | null, verb: string): Promise<string> {
  if (name !== null) return name;
  const names = await store.listNames();
  const [only] = names;
  if (names.length === 1 && only !== undefined) return only;
  if (names.length === 0) throw new CampaignError(`scheduler ${verb}: there is no campaign yet; create one with scheduler enqueue`, 2, 404);
  const shown = names.length > 10 ? `${names.slice(0, 10).join(', ')}, … (${names.length} in all; scheduler list shows them)` : names.join(', ');
  throw new CampaignError(`scheduler ${verb}: --name is required when there is more than one campaign; choose one of ${shown}`, 2);
}
