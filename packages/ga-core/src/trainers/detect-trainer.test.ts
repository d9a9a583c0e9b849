import { describe, expect, it } from 'vitest';
import { GaInputError } from '../ga-input-error.js';
import { detectTrainer, resolveTrainer } from './detect-trainer.js';

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
    expect(generic.note).toMatch(/if it wraps YOLOv5 or Ultralytics, give --adapter yolov5 or --adapter ultralytics/);
  });

  it.each([
    ['yolo detect train data=coco8.yaml', 'yolov5', /^--adapter yolov5: the command runs Ultralytics' yolo \(task detect\), which takes its hyps as key=value words, not --hyp FILE, so every trial would fail; use --adapter ultralytics \(or leave --adapter out/],
    ['yolo segment train data=coco8-seg.yaml', 'yolov5', /use --adapter ultralytics-segment/],
    ['python train.py --epochs 10', 'ultralytics', /^--adapter ultralytics: the command runs train\.py \(YOLOv5's\), which takes --hyp FILE, not key=value words, so every trial would fail; use --adapter yolov5/],
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
