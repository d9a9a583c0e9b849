import { GaInputError } from '../ga-input-error.js';
import { paramsListing } from '../plugin-params.js';
import { genericProfile } from './generic.js';
import type { TrainerProfile } from './trainer-profile.js';
import { ultralyticsDetectProfile, ultralyticsPoseProfile, ultralyticsSegmentProfile } from './ultralytics.js';
import { yolov5Profile } from './yolov5.js';

/**
 * Every trainer profile, by the name campaigns store (`--adapter`); contract's AdapterSchema is
 * derived from these keys. A new profile: its own file, one line here, its test.
 */
export const TRAINER_PROFILES = {
  yolov5: yolov5Profile,
  generic: genericProfile,
  ultralytics: ultralyticsDetectProfile,
  'ultralytics-segment': ultralyticsSegmentProfile,
  'ultralytics-pose': ultralyticsPoseProfile,
} as const satisfies Record<string, TrainerProfile>;

export type TrainerName = keyof typeof TRAINER_PROFILES;

/** The registered names, the default first. */
export const TRAINER_NAMES = Object.keys(TRAINER_PROFILES) as [TrainerName, ...TrainerName[]];

/** A campaign that names no trainer trains YOLOv5. */
export const DEFAULT_TRAINER: TrainerName = 'yolov5';

export function trainerProfile(name: TrainerName): TrainerProfile {
  return TRAINER_PROFILES[name];
}

/**
 * The profile as a campaign's adapter params (`--adapter-param`, stored as given) configure it;
 * GaInputError naming the param and listing those the profile takes (none: any is refused).
 */
export function configureTrainer(name: TrainerName, params: Readonly<Record<string, unknown>>): TrainerProfile {
  const profile = trainerProfile(name);
  if (profile.configure !== undefined) return profile.configure(params);
  const [param] = Object.keys(params);
  if (param !== undefined) throw new GaInputError(`adapter ${name} has no param ${JSON.stringify(param)}. ${paramsListing(`adapter ${name}`, [])}`, { where: param });
  return profile;
}
