import type { Adapter } from '@hyperevolve/contract';
import { genericAdapter } from './generic.js';
import type { TrainerAdapter } from './trainer-adapter.js';
import { yolov5Adapter } from './yolov5.js';

export type { RunContext, RunMetrics, TrainerAdapter, TrainerCommand } from './trainer-adapter.js';

const ADAPTERS: Record<Adapter, TrainerAdapter> = { yolov5: yolov5Adapter, generic: genericAdapter };

export function adapterFor(name: Adapter): TrainerAdapter {
  return ADAPTERS[name];
}
