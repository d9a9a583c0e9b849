export { ResultsError } from './trainer-profile.js';
export type { ExportFile, MeasuredRun, TrainerCommand, TrainerProfile, RunSpec } from './trainer-profile.js';
export { YOLOV5_METRIC_NAMES, YOLOV5_RESULTS_COLUMNS, yolov5Profile } from './yolov5.js';
export { genericProfile, parseGenericMetrics } from './generic.js';
export { DEFAULT_TRAINER, TRAINER_NAMES, TRAINER_PROFILES, trainerProfile } from './registry.js';
export type { TrainerName } from './registry.js';
