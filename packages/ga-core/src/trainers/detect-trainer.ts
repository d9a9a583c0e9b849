import { GaInputError } from '../ga-input-error.js';
import { TRAINER_NAMES, TRAINER_PROFILES, trainerProfile, type TrainerName } from './registry.js';
import type { Recognition, TrainerProfile } from './trainer-profile.js';

/**
 * Which trainer a training command runs, read from the command alone, so a campaign needs no
 * `--adapter` for the common cases and a wrong one is refused before any trial fails on it.
 * Every registered profile says whether it recognises the command (`recognises`); the strongest
 * match wins (own > shared > family > any), the registry's order breaking ties, so generic,
 * which recognises any program, comes last. A new profile is detected by its own `recognises`.
 */
export interface DetectedTrainer {
  readonly name: TrainerName;
  /** What in the command gave it away, for the enqueue note and the refusal. */
  readonly because: string;
  readonly match: Recognition['match'];
}

const STRENGTH: Readonly<Record<Recognition['match'], number>> = { own: 3, shared: 2, family: 1, any: 0 };

/** Of `profiles` (in order), the one that recognises the command most strongly, the first on a tie. */
export function strongestRecognition<P extends TrainerProfile>(command: readonly string[], profiles: readonly P[]): { profile: P; recognition: Recognition } {
  let best: { profile: P; recognition: Recognition } | undefined;
  for (const profile of profiles) {
    const recognition = profile.recognises(command);
    if (recognition !== null && (best === undefined || STRENGTH[recognition.match] > STRENGTH[best.recognition.match])) best = { profile, recognition };
  }
  if (best === undefined) throw new Error(`no trainer profile recognises ${JSON.stringify(command)}: the registry needs one that runs any program (generic)`);
  return best;
}

export function detectTrainer(command: readonly string[]): DetectedTrainer {
  const { profile, recognition } = strongestRecognition(command, Object.values(TRAINER_PROFILES));
  return { name: profile.name as TrainerName, ...recognition };
}

/**
 * The campaign's trainer: `given` (`--adapter`) when the command agrees with it, else the one
 * detected. Throws GaInputError naming the right flag when another profile recognises the
 * command and `given` does not (each of its trials would fail on arguments it does not take).
 * `generic` runs any program, so it is never refused; nor is an adapter given for a command
 * that only generic recognises (a wrapper script may run train.py), nor a sibling of the
 * detected profile (`family`: its review says what is wrong). `note` says what was detected,
 * when nothing was given.
 */
export function resolveTrainer(command: readonly string[], given: TrainerName | null): { name: TrainerName; note: string | null } {
  const detected = detectTrainer(command);
  if (given === null) {
    const others = TRAINER_NAMES.filter((name) => name !== detected.name);
    const hint = detected.match === 'any' ? `; if it wraps another trainer, give its --adapter: ${others.join(', ')}` : '';
    return { name: detected.name, note: `adapter ${detected.name}: ${detected.because} (--adapter chooses another${hint})` };
  }
  const mine = trainerProfile(given);
  if (detected.match !== 'any' && mine.recognises(command) === null) {
    throw new GaInputError(
      `--adapter ${given}: ${detected.because}, which takes its hyps as ${trainerProfile(detected.name).hypsAs}, not ${mine.hypsAs}, so every trial would fail; use --adapter ${detected.name} (or leave --adapter out: it is detected from the command)`,
      { where: '--adapter' },
    );
  }
  return { name: given, note: null };
}
