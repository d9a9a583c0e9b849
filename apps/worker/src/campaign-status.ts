import { campaignKeys, CampaignStatusSchema, type CampaignStatus } from '@hyperevolve/contract';
import type { RedisClient } from '@hyperevolve/runtime';

/** What a worker does with a trial job, given its campaign's status. */
export type CampaignGate =
  | { readonly action: 'run' }
  /** Paused: hand the job back for later, without counting an attempt. */
  | { readonly action: 'defer' }
  /** Cancelled, done, gone or unreadable: complete the job without running it. */
  | { readonly action: 'skip'; readonly reason: string };

export async function readCampaignGate(redis: RedisClient, prefix: string, campaign: string): Promise<CampaignGate> {
  return campaignGate(await redis.hget(campaignKeys(prefix, campaign).state, 'status'), prefix, campaign);
}

/** The gate of a campaign whose status is `raw` (null: it has no state), read here or by the start of a run. */
export function campaignGate(raw: string | null, prefix: string, campaign: string): CampaignGate {
  if (raw === null) return { action: 'skip', reason: `campaign "${campaign}" has no state in Redis (deleted, or the worker's prefix "${prefix}" differs from the scheduler's)` };
  const parsed = CampaignStatusSchema.safeParse(raw);
  if (!parsed.success) return { action: 'skip', reason: `campaign "${campaign}" has an unknown status "${raw}"; expected ${CampaignStatusSchema.options.join(', ')}` };
  return gateFor(parsed.data, campaign);
}

function gateFor(status: CampaignStatus, campaign: string): CampaignGate {
  switch (status) {
    case 'running':
      return { action: 'run' };
    case 'paused':
      return { action: 'defer' };
    case 'cancelled':
    case 'done':
      return { action: 'skip', reason: `campaign "${campaign}" is ${status}` };
  }
}
