import pino from 'pino';
import { describe, expect, it } from 'vitest';
import type { GpuProcess } from './gpu/query-gpu-processes.js';
import type { Heartbeat } from './heartbeat.js';
import { StrayWatch } from './stray-watch.js';

const GPU = 'GPU-00000000-0000-4000-8000-000000000000';

/** A StrayWatch on GPU whose nvidia-smi answers each query with the next of `answers` (the last one for ever). */
function watch(answers: readonly (GpuProcess[] | undefined)[]): { strays: StrayWatch; queries: () => number } {
  let queries = 0;
  const strays = new StrayWatch({
    heartbeat: { setStrays: () => undefined } as unknown as Heartbeat,
    gpuUuid: GPU,
    queryGpuProcesses: () => Promise.resolve(answers[Math.min(queries++, answers.length - 1)]),
    intervalMs: 60_000,
    clearPollMs: 1,
    log: pino({ level: 'silent' }),
  });
  return { strays, queries: () => queries };
}

const foreign: GpuProcess[] = [{ pid: 4242, gpuUuid: GPU, memoryMiB: 100 }];

describe('StrayWatch.clearToStart', () => {
  it('an nvidia-smi that did not answer once is asked again: the trial waits for the process it then lists to go', async () => {
    const { strays, queries } = watch([undefined, foreign, foreign, []]);
    await strays.clearToStart(() => false);
    // The first answer alone would have started the trial beside pid 4242.
    expect(queries()).toBeGreaterThanOrEqual(4);
  });

  it('starts the trial unchecked once nvidia-smi has failed three times in a row', async () => {
    const { strays, queries } = watch([undefined]);
    await strays.clearToStart(() => false);
    expect(queries()).toBe(3);
  });

  it('starts at once on a GPU nvidia-smi lists free, and waits for nothing once stopped', async () => {
    const free = watch([[{ pid: 1, gpuUuid: 'GPU-other', memoryMiB: 5 }]]);
    await free.strays.clearToStart(() => false);
    expect(free.queries()).toBe(1);
    const busy = watch([foreign]);
    let polls = 0;
    await busy.strays.clearToStart(() => polls++ > 2);
    expect(polls).toBe(4);
  });
});
