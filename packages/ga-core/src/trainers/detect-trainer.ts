import { GaInputError } from '../ga-input-error.js';
import type { TrainerName } from './registry.js';
import { ULTRALYTICS_PROFILE_OF_TASK } from './ultralytics.js';
import { commandTask, isYoloEntryPoint } from './ultralytics-command.js';
import { isPipYolov5 } from './yolov5.js';

/**
 * Which trainer a training command runs, read from the command alone, so a campaign needs no
 * `--adapter` for the common cases and a wrong one is refused before any trial fails on it:
 * `yolo …` (and the `ultralytics`/`ul` entry points, `python -m ultralytics`) is Ultralytics,
 * its profile chosen by the task; a `train.py` (a YOLOv5 clone's, `python -m yolov5.train`,
 * the `yolov5 train` script, or our stand-in `sim-train`) is YOLOv5; anything else is generic.
 */
export interface DetectedTrainer {
  readonly name: TrainerName;
  /** What in the command gave it away, for the enqueue note and the refusal. */
  readonly because: string;
}

type Family = 'yolov5' | 'ultralytics' | 'generic';

const YOLOV5_SCRIPTS = new Set(['train.py', 'sim-train', 'sim-train.js']);

function baseName(word: string): string {
  return word.slice(word.lastIndexOf('/') + 1);
}

export function detectTrainer(command: readonly string[]): DetectedTrainer {
  if (isYoloEntryPoint(command)) {
    const task = commandTask(command);
    const name = task === null ? 'ultralytics' : (ULTRALYTICS_PROFILE_OF_TASK[task] ?? 'ultralytics');
    return { name, because: `the command runs Ultralytics' ${baseName(command[0] ?? 'yolo')}${task === null ? '' : ` (task ${task})`}` };
  }
  if (isPipYolov5(command)) return { name: 'yolov5', because: "the command runs pip YOLOv5's train" };
  const script = command.find((word) => YOLOV5_SCRIPTS.has(baseName(word)));
  if (script !== undefined) return { name: 'yolov5', because: `the command runs ${baseName(script)} (YOLOv5's)` };
  return { name: 'generic', because: "the command runs neither YOLOv5's train.py nor Ultralytics' yolo" };
}

function familyOf(name: TrainerName): Family {
  return name.startsWith('ultralytics') ? 'ultralytics' : name === 'yolov5' ? 'yolov5' : 'generic';
}

/**
 * The campaign's trainer: `given` (`--adapter`) when the command agrees with it, else the one
 * detected. Throws GaInputError naming the right flag when the command plainly runs another
 * kind of trainer than `given` (each of its trials would fail on arguments it does not take).
 * `generic` runs any program, so it is never refused; nor is an adapter given for a command
 * that detection cannot place (a wrapper script may run train.py). `note` says what was
 * detected, when nothing was given.
 */
export function resolveTrainer(command: readonly string[], given: TrainerName | null): { name: TrainerName; note: string | null } {
  const detected = detectTrainer(command);
  if (given === null) {
    const hint = detected.name === 'generic' ? '; if it wraps YOLOv5 or Ultralytics, give --adapter yolov5 or --adapter ultralytics' : '';
    return { name: detected.name, note: `adapter ${detected.name}: ${detected.because} (--adapter chooses another${hint})` };
  }
  const mine = familyOf(given);
  const theirs = familyOf(detected.name);
  if (mine !== 'generic' && theirs !== 'generic' && mine !== theirs) {
    const how = theirs === 'ultralytics' ? 'which takes its hyps as key=value words, not --hyp FILE' : 'which takes --hyp FILE, not key=value words';
    throw new GaInputError(
      `--adapter ${given}: ${detected.because}, ${how}, so every trial would fail; use --adapter ${detected.name} (or leave --adapter out: it is detected from the command)`,
      { where: '--adapter' },
    );
  }
  return { name: given, note: null };
}
