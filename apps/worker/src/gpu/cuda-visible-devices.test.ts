import { describe, expect, it } from 'vitest';
import { visibleGpus } from './cuda-visible-devices.js';
import type { Gpu } from './nvidia-smi-output.js';

const GPUS: Gpu[] = [0, 1, 2, 3].map((index) => ({ index, uuid: `GPU-${index}${index}aa0000-feed`, memoryUsedMiB: 0, memoryTotalMiB: 100 }));
const indices = (value: string | undefined) => visibleGpus(GPUS, value).gpus.map((gpu) => gpu.index);

describe('visibleGpus (CUDA_VISIBLE_DEVICES as CUDA reads it)', () => {
  it('shows every GPU when unset and none when empty', () => {
    expect(indices(undefined)).toEqual([0, 1, 2, 3]);
    expect(indices('')).toEqual([]);
    expect(indices(' ')).toEqual([]);
  });

  it('takes indices and UUIDs (or unique UUID prefixes), in the order given', () => {
    expect(indices('2,0')).toEqual([2, 0]);
    expect(indices('GPU-33aa0000-feed, 1')).toEqual([3, 1]);
    expect(indices('gpu-22')).toEqual([2]);
  });

  it('stops at the first entry that names no GPU, as CUDA does, and says which', () => {
    expect(visibleGpus(GPUS, '0,1,-1,2')).toMatchObject({ ignored: ['-1', '2'] });
    expect(indices('0,1,-1,2')).toEqual([0, 1]);
    expect(indices('7,0')).toEqual([]);
    expect(indices('GPU-,1')).toEqual([]);
    expect(indices('0,0,1')).toEqual([0]);
    expect(indices('1,MIG-abc')).toEqual([1]);
  });
});
