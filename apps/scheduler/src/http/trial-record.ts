import type { CampaignKeys } from '@hyperevolve/contract';
import type { RedisClient } from '@hyperevolve/runtime';

const JSON_FIELDS = new Set(['hyp', 'parents', 'pool', 'metrics', 'command']);
const NUMBER_FIELDS = new Set(['index', 'poolSize', 'fitness', 'attempt', 'failedAttempts', 'draws', 'runStartedAt', 'runEndedAt', 'durationMs', 'createdAt', 'finishedAt']);

/** One trial's hash with its JSON and number fields decoded; null when there is no such trial. */
export async function readTrialRecord(redis: RedisClient, keys: CampaignKeys, index: number): Promise<Record<string, unknown> | null> {
  const raw = await redis.hgetall(keys.trial(index));
  if (Object.keys(raw).length === 0) return null;
  const record: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(raw)) {
    if (JSON_FIELDS.has(field)) {
      try {
        record[field] = JSON.parse(value) as unknown;
      } catch {
        record[field] = value;
      }
    } else if (NUMBER_FIELDS.has(field) && value !== '' && Number.isFinite(Number(value))) {
      record[field] = Number(value);
    } else {
      record[field] = value;
    }
  }
  return record;
}
