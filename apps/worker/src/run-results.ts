import { readFile } from 'node:fs/promises';
import { ResultsError, type MeasuredRun, type TrainerProfile } from '@hyperevolve/ga-core';
import { TrialFailure } from './trial-failure.js';

/**
 * The worker's half of a trainer profile: reads the results file of a run that exited 0 and
 * has the profile parse it. The profile's parts that need no I/O (its command line, its
 * parser) live in ga-core; only reading the file happens here.
 * @throws TrialFailure results-missing (no file), results-garbled or metrics-nan (the profile's verdict)
 */
export async function readRunResults(profile: TrainerProfile, path: string): Promise<MeasuredRun> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if (error instanceof Error && 'code' in error && (error.code === 'ENOENT' || error.code === 'ENOTDIR')) {
      throw new TrialFailure('results-missing', `the trainer exited 0 but wrote no ${path}; ${profile.missingResultsHint}`, { cause: error });
    }
    throw error;
  }
  try {
    return profile.parseResults(text, path);
  } catch (error) {
    if (error instanceof ResultsError) throw new TrialFailure(error.kind, error.message, { cause: error });
    throw error;
  }
}
