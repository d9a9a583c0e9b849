import type { Hyp } from '../metrics.js';
import type { RunPlace } from './epoch-log.js';
import type { RunSpec, TrainerProfile } from './trainer-profile.js';

/**
 * Test-only: a run as the worker hands it to `profile.command` — attempt 2 of trial 7 of campaign
 * `exp`, workdir `/w`, device 3, fast trials — with the profile's own results and epoch-log paths
 * of it, so a profile's test spells only its command and hyps.
 */
export function sampleRun(profile: TrainerProfile, command: readonly string[], hyp: Hyp): RunSpec {
  const place: RunPlace = { command, projectDir: '/w/exp', runName: '7-2', trialDir: '/w/exp/7-2' };
  return {
    ...place,
    campaign: 'exp',
    index: 7,
    device: '3',
    hypPath: '/w/exp/7-2/hyp.yaml',
    resultsPath: profile.resultsPath(place),
    epochLogPath: profile.epochLog.path(place),
    fastTrials: true,
    hyp,
  };
}
