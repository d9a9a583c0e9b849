import { describe, expect, it } from 'vitest';
import { GaInputError } from '../ga-input-error.js';
import { detectTrainer, resolveTrainer, strongestRecognition } from './detect-trainer.js';
import { TRAINER_NAMES, TRAINER_PROFILES } from './registry.js';
import type { Recognition, TrainerProfile } from './trainer-profile.js';

const words = (line: string): string[] => line.split(' ');

describe('detectTrainer: the trainer a command runs', () => {
  it.each([
    ['yolo detect train data=coco8.yaml model=yolo11n.pt', 'ultralytics'],
    ['/venv/bin/yolo train data=coco8.yaml model=yolo11n.pt', 'ultralytics'],
    ['yolo segment train data=coco8-seg.yaml', 'ultralytics-segment'],
    ['yolo train model=yolov8n-pose.pt data=coco8-pose.yaml', 'ultralytics-pose'],
    ['yolo obb train data=dota8.yaml', 'ultralytics'],
    ['ultralytics detect train data=coco8.yaml', 'ultralytics'],
    ['python -m ultralytics pose train data=coco8-pose.yaml', 'ultralytics-pose'],
    ['python train.py --epochs 10 --data coco128.yaml', 'yolov5'],
    ['torchrun --nproc_per_node 2 /src/yolov5/train.py --epochs 10', 'yolov5'],
    ['python -m yolov5.train --epochs 1', 'yolov5'],
    ['yolov5 train --epochs 1', 'yolov5'],
    ['sim-train --epochs 3', 'yolov5'],
    ['/usr/bin/node /repo/apps/sim-train/bin/sim-train.js --epochs 3', 'yolov5'],
    ['python fit.py --lr 3', 'generic'],
    ['bash run.sh', 'generic'],
  ])('%s → %s', (line, name) => {
    expect(detectTrainer(words(line)).name).toBe(name);
  });
});

describe('resolveTrainer: --adapter or the detected trainer', () => {
  it('takes the detected trainer when none is given, and says so', () => {
    expect(resolveTrainer(words('yolo detect train data=coco8.yaml'), null)).toEqual({
      name: 'ultralytics',
      note: "adapter ultralytics: the command runs Ultralytics' yolo (task detect) (--adapter chooses another)",
    });
    const generic = resolveTrainer(words('python fit.py'), null);
    expect(generic.name).toBe('generic');
    expect(generic.note).toMatch(new RegExp(`if it wraps another trainer, give its --adapter: ${TRAINER_NAMES.filter((name) => name !== 'generic').join(', ')}\\)$`));
  });

  it.each([
    ['yolo detect train data=coco8.yaml', 'yolov5', /^--adapter yolov5: the command runs Ultralytics' yolo \(task detect\), which takes its hyps as key=value words, not --hyp FILE, so every trial would fail; use --adapter ultralytics \(or leave --adapter out/],
    ['yolo segment train data=coco8-seg.yaml', 'yolov5', /use --adapter ultralytics-segment/],
    ['python train.py --epochs 10', 'ultralytics', /^--adapter ultralytics: the command runs train\.py \(YOLOv5's\), which takes its hyps as --hyp FILE, not key=value words, so every trial would fail; use --adapter yolov5/],
    ['python -m yolov5.train --epochs 1', 'ultralytics-pose', /use --adapter yolov5/],
  ] as const)('refuses %s with --adapter %s, naming the right flag', (line, given, message) => {
    expect(() => resolveTrainer(words(line), given)).toThrow(GaInputError);
    expect(() => resolveTrainer(words(line), given)).toThrow(message);
  });

  it.each([
    ['python train.py', 'generic'],
    ['yolo detect train', 'generic'],
    ['bash wrapper.sh', 'yolov5'],
    ['bash wrapper.sh', 'ultralytics'],
    ['yolo segment train', 'ultralytics'],
  ] as const)('keeps %s with --adapter %s (generic runs anything; a wrapper cannot be placed; the task is the profile review\'s)', (line, given) => {
    expect(resolveTrainer(words(line), given)).toEqual({ name: given, note: null });
  });
});

describe('detection asks every registered profile', () => {
  const profiles = Object.values(TRAINER_PROFILES);

  it('has a profile that runs any program, registered last among equals, so every command is placed', () => {
    const any = profiles.filter((profile) => profile.recognises(['./anything', '--x'])?.match === 'any');
    expect(any.map((profile) => profile.name)).toEqual(['generic']);
    for (const profile of profiles) expect(typeof profile.hypsAs).toBe('string');
  });

  // A trainer added later: its own recognises is all detection needs (no list to extend).
  const mmdetLike = (match: Recognition['match']): TrainerProfile => ({
    ...TRAINER_PROFILES.generic,
    name: 'mmdet-like',
    // Its signature: a train.py given a .toml job file (no registered profile's own).
    recognises: (command) => (command.some((word) => word.endsWith('.toml')) && command.some((word) => word.endsWith('/train.py')) ? { match, because: 'the command runs train.py with a .toml job' } : null),
  });

  it("detects a new profile's own command over yolov5's shared train.py, wherever it is registered", () => {
    const command = words('python other/train.py job.toml');
    expect(strongestRecognition(command, [...profiles, mmdetLike('own')]).profile.name).toBe('mmdet-like');
    expect(strongestRecognition(command, [mmdetLike('own'), ...profiles]).profile.name).toBe('mmdet-like');
    // yolov5's own train.py stays yolov5's.
    expect(strongestRecognition(words('python train.py --epochs 3'), [mmdetLike('own'), ...profiles]).profile.name).toBe('yolov5');
  });

  it("breaks a tie by the registry's order: a shared name registered later does not steal train.py", () => {
    const command = words('python other/train.py job.toml');
    expect(strongestRecognition(command, [...profiles, mmdetLike('shared')]).profile.name).toBe('yolov5');
  });
});
