import { lastLines, type CampaignKeys, type FailureKind } from '@hyperevolve/contract';
import { RedisScript, type RedisClient } from '@hyperevolve/runtime';
import { BREAKER_PREFIX } from './circuit-breaker-reason.js';
import { sameFailureReason } from './same-failure-reason.js';

export const noteFailureScript = new RedisScript({
  name: 'noteFailure',
  file: new URL('./note-failure-1.lua', import.meta.url),
  keys: 1,
  codes: ['Done', 'Missing'],
});

/** Trials in a row that fail the same way before the campaign pauses. */
export const SAME_FAILURES_TO_PAUSE = 3;

export interface NotedFailure {
  campaign: string;
  /** contract's failureSignature; null for a failure another run may survive. */
  signature: string | null;
  /** The trial failed for good (no retry follows). */
  final: boolean;
  kind: FailureKind;
  /** The failure's message (its log's last lines), for the pause reason. */
  message: string;
}

/**
 * note-failure-1.lua, after record-result recorded a failure: the campaign's streak of trials
 * failing with one signature, which pauses the campaign at SAME_FAILURES_TO_PAUSE. Returns the
 * streak and the campaign's status after it.
 */
export async function noteFailure(redis: RedisClient, keys: CampaignKeys, failure: NotedFailure): Promise<{ same: number; campaignStatus: string }> {
  const reason = sameFailureReason(failure.campaign, '{n}', failure.kind, lastLines(failure.message));
  const { code, values } = await noteFailureScript.run(redis, [keys.state], [
    failure.signature ?? '',
    failure.final ? '1' : '0',
    SAME_FAILURES_TO_PAUSE,
    reason,
    BREAKER_PREFIX,
  ]);
  if (code === 'Missing') return { same: 0, campaignStatus: '' };
  return { same: Number(values[0]), campaignStatus: String(values[1]) };
}
