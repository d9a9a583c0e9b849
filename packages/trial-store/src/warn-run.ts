import { TRAINER_LIMITS, type CampaignKeys } from '@hyperevolve/contract';
import { RedisScript, type RedisClient } from '@hyperevolve/runtime';
import { runHolderRefusal } from './run-holder-refusal.js';

export const warnRunScript = new RedisScript({
  name: 'warnRun',
  file: new URL('./warn-run-2.lua', import.meta.url),
  keys: 2,
  codes: ['Done', 'Absent', 'Missing', 'WrongStatus', 'NotHolder'],
});

export type WarnOutcome =
  | { readonly noted: true }
  | { readonly noted: false; readonly reason: string };

/** A warning as the trial keeps it: `<runName>: <what>`, cut to TRAINER_LIMITS.warningChars. */
export function trialWarning(runName: string, what: string): string {
  const text = `${runName}: ${what}`;
  const max = TRAINER_LIMITS.warningChars;
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/**
 * warn-run-2.lua: a warning on the trial, if `runName` still holds it and the trial has fewer than
 * TRAINER_LIMITS.warningsPerTrial; the caller says each kind once per run.
 */
export async function warnRun(redis: RedisClient, keys: CampaignKeys, index: number, runName: string, what: string): Promise<WarnOutcome> {
  const { code, values } = await warnRunScript.run(redis, [keys.trial(index), keys.warned], [
    runName,
    trialWarning(runName, what),
    index,
    TRAINER_LIMITS.warningsPerTrial,
  ]);
  const detail = typeof values[0] === 'string' ? values[0] : '';
  switch (code) {
    case 'Done':
      return { noted: true };
    case 'Absent':
      return { noted: false, reason: `the trial holds ${detail} warnings already, its most` };
    case 'Missing':
    case 'WrongStatus':
    case 'NotHolder':
      return { noted: false, reason: runHolderRefusal(code, detail) };
  }
}
