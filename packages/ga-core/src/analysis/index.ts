export { IMPORTANCE_MIN_TRIALS, hypImportance } from './hyp-importance.js';
export type { HypImportance, ImportancePoint } from './hyp-importance.js';
