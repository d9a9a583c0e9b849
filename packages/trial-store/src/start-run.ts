import type { CampaignKeys, WorkerIdentity } from '@hyperevolve/contract';
import { RedisScript, type RedisClient } from '@hyperevolve/runtime';
import { fieldPairs } from './trial-fields.js';

export const startTrialScript = new RedisScript({
  name: 'startTrial',
  file: new URL('./start-trial-1.lua', import.meta.url),
  keys: 1,
  codes: ['Done', 'Missing', 'WrongStatus'],
});

/** One run of a trial as its worker starts it: the run fields, written here and nowhere else once it started. */
export interface RunStart {
  attempt: number;
  runName: string;
  worker: WorkerIdentity;
  /** GPU index or cpu. */
  device: string;
  startedAt: number;
  trialDir: string;
  logPath: string;
  command: readonly string[];
}

export type StartOutcome =
  | { readonly marked: true }
  | { readonly marked: false; readonly reason: string };

/** The run fields of a run, as the trial record holds them. */
export function runFields(run: RunStart) {
  return {
    attempt: run.attempt,
    runName: run.runName,
    worker: run.worker.id,
    host: run.worker.host,
    device: run.device,
    ...(run.worker.gpuUuid === undefined ? {} : { gpuUuid: run.worker.gpuUuid }),
    startedAt: run.startedAt,
    trialDir: run.trialDir,
    logPath: run.logPath,
    command: [...run.command],
  };
}

/** start-trial-1.lua: marks the trial running with the run's fields, unless it is finished, cancelled or gone. */
export async function startRun(redis: RedisClient, keys: CampaignKeys, index: number, run: RunStart): Promise<StartOutcome> {
  const { code, values } = await startTrialScript.run(redis, [keys.trial(index)], fieldPairs(runFields(run)));
  if (code === 'Done') return { marked: true };
  if (code === 'Missing') return { marked: false, reason: 'the trial hash does not exist (the campaign was deleted, or the prefix differs from the scheduler\'s)' };
  const status = values[0];
  return { marked: false, reason: `the trial is already ${status === '' || typeof status !== 'string' ? 'in an unknown state' : status}` };
}
