import { ResultsError, type MeasuredRun, type TrainerProfile } from '@hyperevolve/ga-core';
import { dirname } from 'node:path';
import { readUntrusted } from '@hyperevolve/runtime';
import { findRunFile } from './run-file.js';
import { TrialFailure } from './trial-failure.js';

/** A results file larger than this (64 MiB: some 200,000 rows of results.csv) is not read. */
export const RESULTS_MAX_BYTES = 64 * 2 ** 20;

/**
 * The worker's half of a trainer profile: reads the results file of a run that exited 0 and
 * has the profile parse it. The profile's parts that need no I/O (its command line, its
 * parser) live in ga-core; only reading the file happens here.
 * The file is read only when it is a regular file of its own (a FIFO would block the read for
 * good, a link would read someone else's file) and no larger than {@link RESULTS_MAX_BYTES}.
 * `path` is the profile's, inside `trialDir` (findRunFile: a folder the trainer names at run time
 * is looked up there, no link followed).
 * @throws TrialFailure results-missing (no file, or not a regular file), results-garbled (too large, or the profile's verdict) or metrics-nan
 */
export async function readRunResults(profile: TrainerProfile, pattern: string, trialDir = dirname(pattern)): Promise<MeasuredRun> {
  const found = await findRunFile(pattern, trialDir);
  if (found.kind === 'refused') throw new TrialFailure('results-missing', `the trainer exited 0 but its ${pattern} cannot be read: ${found.why}`);
  if (found.kind === 'missing') throw new TrialFailure('results-missing', `the trainer exited 0 but wrote no ${pattern}; ${profile.missingResultsHint}`);
  const { path } = found;
  const read = await readUntrusted(path, RESULTS_MAX_BYTES + 1);
  if (read.kind === 'missing') throw new TrialFailure('results-missing', `the trainer exited 0 but wrote no ${path}; ${profile.missingResultsHint}`);
  if (read.kind === 'refused') throw new TrialFailure('results-missing', `the trainer exited 0 but ${path} is ${read.why}, not a regular file; the worker reads results only from a file the trainer wrote itself`);
  if (read.size > RESULTS_MAX_BYTES) {
    throw new TrialFailure('results-garbled', `${path} is ${read.size} bytes, more than the ${RESULTS_MAX_BYTES} any run's results take; it was not read`);
  }
  const { text } = read;
  try {
    return profile.parseResults(text, path);
  } catch (error) {
    if (error instanceof ResultsError) throw new TrialFailure(error.kind, error.message, { cause: error });
    throw error;
  }
}
