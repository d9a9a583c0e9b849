import {
  ULTRALYTICS_INTEGER_HYPS,
  ULTRALYTICS_TUNER_BASE_HYP,
  ULTRALYTICS_TUNER_SPACE,
  YOLOV5_DEFAULT_HYP,
  YOLOV5_DETECTION_SPACE,
  compileBaseHyp,
  withIntegerHyps,
  type Hyp,
  type SearchSpace,
} from '@hyperevolve/ga-core';
import { ULTRALYTICS_LANDSCAPE, YOLOV5_LANDSCAPE, type Landscape } from '@hyperevolve/sim-train';

/** What a simulated campaign searches: its base hyps and space, as enqueue compiles them, and the landscape that scores them. */
export interface SimulatedSearch {
  readonly name: string;
  readonly base: Hyp;
  readonly space: SearchSpace;
  readonly landscape: Landscape;
}

/** YOLOv5's hyp.scratch-low and v7.0's detection space, on sim-train's own landscape. */
export const YOLOV5_SEARCH: SimulatedSearch = Object.freeze({
  name: 'yolov5',
  base: compileBaseHyp(YOLOV5_DEFAULT_HYP, YOLOV5_DETECTION_SPACE).base,
  space: YOLOV5_DETECTION_SPACE,
  landscape: YOLOV5_LANDSCAPE,
});

const ULTRALYTICS_SPACE = withIntegerHyps(ULTRALYTICS_TUNER_SPACE, ULTRALYTICS_INTEGER_HYPS);

/** Ultralytics' Tuner defaults and space (close_mosaic whole), on sim-train's Ultralytics landscape. */
export const ULTRALYTICS_SEARCH: SimulatedSearch = Object.freeze({
  name: 'ultralytics',
  base: compileBaseHyp(ULTRALYTICS_TUNER_BASE_HYP, ULTRALYTICS_SPACE).base,
  space: ULTRALYTICS_SPACE,
  landscape: ULTRALYTICS_LANDSCAPE,
});
