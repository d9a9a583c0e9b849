import { describe, expect, it } from 'vitest';
import { classifyOutcome } from './classify-outcome.js';
import { YOLOV5_METRIC_NAMES, metricRecord, trainerProfile } from '@hyperevolve/ga-core';
import { checkFitnessMetrics } from './metrics-check.js';

const yolov5 = trainerProfile('yolov5');
const metrics = (values: number[]) => metricRecord(YOLOV5_METRIC_NAMES, values);

const context = { program: 'python', host: 'box-1' };

describe('classifyOutcome', () => {
  it('exit 0 is no failure', () => {
    expect(classifyOutcome({ kind: 'exited', exitCode: 0 }, context)).toBeUndefined();
  });

  it.each([
    [{ kind: 'exited', exitCode: 3 } as const, 'exit-code', /exited with code 3/],
    [{ kind: 'signalled', signal: 'SIGKILL' } as const, 'signal', /killed by SIGKILL.*out-of-memory/],
    [{ kind: 'signalled', signal: 'SIGSEGV' } as const, 'signal', /killed by SIGSEGV$/],
    [{ kind: 'timed-out', timeoutMs: 1500 } as const, 'timeout', /timeout of 1\.5 s; its whole process group was killed/],
    [{ kind: 'stalled', stallMs: 1_800_000 } as const, 'stalled', /no new epoch for 30 min \(the campaign's --stall-timeout\).*its whole process group was killed/],
    [{ kind: 'timed-out', timeoutMs: 7_200_000 } as const, 'timeout', /timeout of 120 min/],
    [{ kind: 'interrupted' } as const, 'interrupted', /without counting an attempt/],
    [{ kind: 'spawn-error', code: 'ENOENT', message: 'spawn python ENOENT' } as const, 'spawn-error', /"python" was not found on the PATH of the worker on box-1/],
    [{ kind: 'spawn-error', code: 'EACCES', message: 'x' } as const, 'spawn-error', /not executable/],
    [{ kind: 'spawn-error', code: undefined, message: 'weird' } as const, 'spawn-error', /could not start "python": weird/],
  ])('%j → %s', (outcome, kind, message) => {
    const failure = classifyOutcome(outcome, context);
    expect(failure?.kind).toBe(kind);
    expect(failure?.message).toMatch(message);
    expect(failure?.unrecoverable).toBe(false);
  });
});

describe('checkFitnessMetrics', () => {
  it('passes finite fitness metrics even when a loss is NaN', () => {
    expect(checkFitnessMetrics(yolov5, metrics([0.1, 0.2, 0.3, 0.4, Number.NaN, 1, 1]), 'r.csv')).toBeUndefined();
  });

  it('fails metrics-nan naming the NaN metrics', () => {
    const failure = checkFitnessMetrics(yolov5, metrics([0.1, Number.NaN, 0.3, Number.NaN, 1, 1, 1]), 'r.csv');
    expect(failure?.kind).toBe('metrics-nan');
    expect(failure?.message).toMatch(/r\.csv has nan for metrics\/recall, metrics\/mAP_0\.5:0\.95/);
  });

});
