import type { CampaignKeys, FieldValue, FieldsWrittenBy, TRIAL_FIELDS, TrialRecord, TrialResult, WorkerIdentity } from '@hyperevolve/contract';
import { RedisScript, type RedisClient } from '@hyperevolve/runtime';
import { fieldPairs } from './trial-fields.js';

export const startTrialScript = new RedisScript({
  name: 'startTrial',
  file: new URL('./start-trial-2.lua', import.meta.url),
  keys: 2,
  codes: ['Done', 'Missing', 'WrongStatus'],
});

/** Run fields that come from the worker's identity rather than as their own value. */
type IdentityFields = 'worker' | 'host' | 'gpuUuid';

/**
 * One run of a trial as its worker starts it, computed from a field table: every field written
 * at 'start' (but `status`, which start sets), the identity fields given as the worker's
 * {@link WorkerIdentity}. A field added to the table with writer 'start' is required here, and
 * written by {@link runFields} without another change.
 */
export type RunStartOf<Table> = { readonly worker: WorkerIdentity } & {
  readonly [K in Exclude<FieldsWrittenBy<Table, 'start'>, 'status' | IdentityFields>]: Readonly<FieldValue<Table, K>>;
};

/** One run of a trial as its worker starts it: the run fields, written here and nowhere else once it started. */
export type RunStart = RunStartOf<typeof TRIAL_FIELDS>;

export type StartOutcome =
  | { readonly marked: true }
  | { readonly marked: false; readonly reason: string }
  /** Asked with `gate`: the campaign is not running (its status, null when it has no state). */
  | { readonly marked: false; readonly reason: string; readonly campaignStatus: string | null };

/**
 * A run refused before it started, as its result tells it (the recorder writes its run fields):
 * the run fields a TrialResult carries; a run field added later is written when the worker
 * started the run, and here only if given.
 */
export type UnstartedRun = Pick<RunStart, (keyof TrialResult & keyof RunStart) | 'device'> & Partial<RunStart>;

/** The run fields of a run, as the trial record holds them. */
export function runFields(run: UnstartedRun): TrialRecord {
  const { worker, ...fields } = run;
  return {
    ...(fields as TrialRecord),
    worker: worker.id,
    host: worker.host,
    ...(worker.gpuUuid === undefined ? {} : { gpuUuid: worker.gpuUuid }),
  };
}

/**
 * start-trial-2.lua: marks the trial running with the run's fields, unless it is finished,
 * cancelled or gone, or (`gate`) its campaign is not running.
 */
export async function startRun(redis: RedisClient, keys: CampaignKeys, index: number, run: RunStart, gate = false): Promise<StartOutcome> {
  const { code, values } = await startTrialScript.run(redis, [keys.trial(index), keys.state], [gate ? 'gate' : 'any', ...fieldPairs(runFields(run))]);
  if (code === 'Done') return { marked: true };
  const [status, which] = values;
  if (which === 'campaign') {
    const campaignStatus = typeof status === 'string' && status !== '' ? status : null;
    return { marked: false, reason: campaignStatus === null ? 'the campaign has no state' : `the campaign is ${campaignStatus}`, campaignStatus };
  }
  if (code === 'Missing') return { marked: false, reason: 'the trial hash does not exist (the campaign was deleted, or the prefix differs from the scheduler\'s)' };
  return { marked: false, reason: `the trial is already ${status === '' || typeof status !== 'string' ? 'in an unknown state' : status}` };
}
