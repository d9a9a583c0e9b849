import type { RunStart } from '@hyperevolve/trial-store';

/**
 * A run as a worker starts it, and the run fields it leaves in the trial hash (as Redis holds
 * them). Tests and benchmarks that start runs build theirs from it, so a field added to the
 * trial table's 'start' writers is given a value here and nowhere else.
 */
export const SAMPLE_RUN: RunStart = {
  attempt: 2,
  runName: '5-2',
  worker: { id: 'h:1:0', host: 'h', device: '0' },
  device: '0',
  startedAt: 1700000000000,
  trialDir: '/w/exp/5-2',
  logPath: '/w/exp/5-2/train.log',
  command: ['python', 'train.py', '--name', "it's"],
};

/** {@link SAMPLE_RUN}'s fields in its trial hash, written out by hand (the encoding under test). */
export const SAMPLE_RUN_FIELDS: Record<string, string> = {
  attempt: '2',
  runName: '5-2',
  worker: 'h:1:0',
  host: 'h',
  device: '0',
  startedAt: '1700000000000',
  trialDir: '/w/exp/5-2',
  logPath: '/w/exp/5-2/train.log',
  command: '["python","train.py","--name","it\'s"]',
};

/** {@link SAMPLE_RUN} with some fields changed. */
export function sampleRun(changes: Partial<RunStart> = {}): RunStart {
  return { ...SAMPLE_RUN, ...changes };
}
