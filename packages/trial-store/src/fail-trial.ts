import type { CampaignKeys } from '@hyperevolve/contract';
import type { RedisClient } from '@hyperevolve/runtime';
import { runRecordScript, type RecordReply } from './record-result.js';
import { fieldPairs } from './trial-fields.js';

/**
 * Records a trial as failed without a result from a run (the reconciler: its job failed with no
 * report from a worker, or its record is too damaged to run again): `interrupted: <reason>`.
 */
export async function failTrial(redis: RedisClient, keys: CampaignKeys, index: number, reason: string, maxConsecutiveFailures: number): Promise<RecordReply> {
  const fields = fieldPairs({ error: `interrupted: ${reason}`, errorKind: 'interrupted' });
  return runRecordScript(redis, keys, index, 'failed', Number.NaN, maxConsecutiveFailures, '', 'interrupted', fields);
}
