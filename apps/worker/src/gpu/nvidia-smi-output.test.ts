import { describe, expect, it } from 'vitest';
import { parseNvidiaSmiOutput } from './nvidia-smi-output.js';

describe('parseNvidiaSmiOutput', () => {
  it('reads index, uuid and memory (MiB) per line, sorted by index', () => {
    const text = [
      '1, GPU-b2a8f3c1-0d1e-4f5a-9b6c-7d8e9f0a1b2c, 40960, 81559',
      '0, GPU-8932f937-d72c-4106-c12f-20bd9faed9f6, 0, 81559',
      '',
    ].join('\n');
    expect(parseNvidiaSmiOutput(text)).toEqual([
      { index: 0, uuid: 'GPU-8932f937-d72c-4106-c12f-20bd9faed9f6', memoryUsedMiB: 0, memoryTotalMiB: 81559 },
      { index: 1, uuid: 'GPU-b2a8f3c1-0d1e-4f5a-9b6c-7d8e9f0a1b2c', memoryUsedMiB: 40960, memoryTotalMiB: 81559 },
    ]);
  });

  it('takes [N/A] memory as unknown and tolerates CRLF', () => {
    expect(parseNvidiaSmiOutput('0, GPU-1234abcd, [N/A], [Not Supported]\r\n')).toEqual([
      { index: 0, uuid: 'GPU-1234abcd', memoryUsedMiB: null, memoryTotalMiB: null },
    ]);
  });

  it('reads no GPUs from empty output', () => {
    expect(parseNvidiaSmiOutput('\n')).toEqual([]);
  });

  it.each([
    ['NVIDIA-SMI has failed because it couldn\'t communicate with the NVIDIA driver.', /line 1 of nvidia-smi's output is not "index, uuid, memory.used, memory.total"/],
    ['0, GPU-aa, 12 MiB, 100', /column\.2: expected a whole number of MiB/],
    ['0, 8932f937, 0, 100', /column\.1: expected a GPU UUID/],
    ['0, GPU-aa, 0, 100\n1, GPU-aa, 0, 100', /listed the UUID GPU-aa twice/],
  ])('refuses %j', (text, message) => {
    expect(() => parseNvidiaSmiOutput(text)).toThrow(message);
  });
});
