export { ResultsError } from './trainer-profile.js';
export type { CampaignPlan, ExportFile, MeasuredRun, TrainerCommand, TrainerProfile, RunSpec } from './trainer-profile.js';
export { YOLOV5_METRIC_NAMES, YOLOV5_RESULTS_COLUMNS, isPipYolov5, yolov5Profile } from './yolov5.js';
export { ULTRALYTICS_DEFAULT_OPTIMIZER, ultralyticsDetectProfile, ultralyticsPoseProfile, ultralyticsSegmentProfile } from './ultralytics.js';
export { commandDataName, commandSettings, commandTask } from './ultralytics-command.js';
export * from './ultralytics-defaults.js';
export { genericProfile, parseGenericMetrics } from './generic.js';
export { DEFAULT_TRAINER, TRAINER_NAMES, TRAINER_PROFILES, trainerProfile } from './registry.js';
export type { TrainerName } from './registry.js';
