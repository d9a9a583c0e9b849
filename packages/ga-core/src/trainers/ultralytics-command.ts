/**
 * What an Ultralytics command line says about itself, read the way `yolo` reads it
 * (`ultralytics/cfg/__init__.py`, `entrypoint`): bare words name the task and the mode,
 * `key=value` words are settings, and a later `key=value` wins over an earlier one.
 */

/** The tasks `yolo` knows, and the model-name suffixes it infers them from (`yolov8n-seg.yaml`). */
export const ULTRALYTICS_TASKS = ['detect', 'segment', 'classify', 'pose', 'obb'] as const;
export type UltralyticsTask = (typeof ULTRALYTICS_TASKS)[number];

const MODES = ['train', 'val', 'predict', 'export', 'track', 'benchmark'] as const;

const MODEL_SUFFIX_TASK: readonly (readonly [string, UltralyticsTask])[] = [
  ['-seg', 'segment'],
  ['-pose', 'pose'],
  ['-obb', 'obb'],
  ['-cls', 'classify'],
];

/** The programs that are `yolo`'s entry point (console scripts of the ultralytics package). */
const ENTRY_POINTS = new Set(['yolo', 'ultralytics', 'ul']);

/** The command's `key=value` settings, the last of each key (as `yolo` keeps it). */
export function commandSettings(command: readonly string[]): ReadonlyMap<string, string> {
  const settings = new Map<string, string>();
  for (const word of command.slice(1)) {
    if (word.startsWith('-')) continue;
    const at = word.indexOf('=');
    if (at <= 0) continue;
    settings.set(word.slice(0, at).trim(), word.slice(at + 1).trim());
  }
  return settings;
}

/**
 * True when the program is `yolo` (or its other names), or Python running the package as a
 * module (`python -m ultralytics`), so its bare words are task and mode.
 */
export function isYoloEntryPoint(command: readonly string[]): boolean {
  const program = command[0] ?? '';
  if (ENTRY_POINTS.has(program.slice(program.lastIndexOf('/') + 1))) return true;
  return command.some((word, i) => word === '-m' && command[i + 1] === 'ultralytics');
}

/** The task the command trains, as `yolo` would pick it; null when it leaves the choice to the model file. */
export function commandTask(command: readonly string[]): UltralyticsTask | null {
  const settings = commandSettings(command);
  const named = settings.get('task') ?? (isYoloEntryPoint(command) ? command.slice(1).find((word) => isTask(word)) : undefined);
  if (named !== undefined && isTask(named)) return named;
  const model = settings.get('model');
  if (model === undefined) return null;
  const stem = model.slice(model.lastIndexOf('/') + 1).replace(/\.[^.]*$/, '');
  for (const [suffix, task] of MODEL_SUFFIX_TASK) if (stem.endsWith(suffix)) return task;
  return null;
}

/** The mode a `yolo` command names (`train`, `val`, …); null when it names none (`yolo` then trains). */
export function commandMode(command: readonly string[]): string | null {
  const settings = commandSettings(command);
  const mode = settings.get('mode') ?? command.slice(1).find((word) => (MODES as readonly string[]).includes(word));
  return mode ?? null;
}

/**
 * The name Ultralytics' Tuner files a run's metrics under for the command's `data=` file: its
 * stem (`data=coco8.yaml` → `coco8`), or its folder's name when the file is called `data.*`
 * (`data=sets/d2/data.yaml` → `d2`), as `MultiTrainer` names its runs. Null without `data=`.
 */
export function commandDataName(command: readonly string[]): string | null {
  const data = commandSettings(command).get('data');
  if (data === undefined || data === '') return null;
  const parts = data.split('/').filter((part) => part !== '' && part !== '.');
  const stem = (parts.at(-1) ?? '').replace(/\.[^.]*$/, '');
  const folder = parts.at(-2);
  return stem === 'data' && folder !== undefined && folder !== '..' ? folder : stem;
}

function isTask(word: string): word is UltralyticsTask {
  return (ULTRALYTICS_TASKS as readonly string[]).includes(word);
}
