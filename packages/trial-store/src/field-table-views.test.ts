import { describe, expect, expectTypeOf, it } from 'vitest';
import { FAILURE_VIEW, type TRIAL_FIELDS } from '@hyperevolve/contract';
import { sampleRun } from '../../../test/support/sample-run.js';
import { failureView } from './read-failures.js';
import { runFields, type RunStart, type RunStartOf } from './start-run.js';

// A field table with two more fields, as a change adding them would make it: `newStartField`
// written when a run starts, `newResultField` only with a result.
type TextField<Writers> = Omit<(typeof TRIAL_FIELDS)['host'], 'writtenBy'> & { readonly writtenBy: Writers };
type Extended = typeof TRIAL_FIELDS & { newStartField: TextField<readonly ['start']>; newResultField: TextField<readonly ['record']> };

const run = sampleRun({
  attempt: 1, runName: '4-1', worker: { id: 'h:1:0', host: 'h', device: '0', gpuUuid: 'GPU-1' }, device: '0',
  startedAt: 5, trialDir: '/t/4-1', logPath: '/t/4-1/train.log', command: ['python', 'train.py'],
});

describe('types and views computed from the field table', () => {
  it("a run start has exactly the fields the table says 'start' writes", () => {
    expectTypeOf<RunStartOf<Extended>>().toHaveProperty('newStartField').toEqualTypeOf<string>();
    expectTypeOf<RunStartOf<Extended>>().not.toHaveProperty('newResultField');
    expectTypeOf<RunStart>().not.toHaveProperty('newStartField');
    // status is set by the start itself; worker, host and gpuUuid come from the worker's identity.
    expectTypeOf<RunStart>().not.toHaveProperty('status');
    expectTypeOf<RunStart>().not.toHaveProperty('host');
    expectTypeOf<RunStart['worker']['gpuUuid']>().toEqualTypeOf<string | undefined>();
  });

  it('writes every field of a run start, a new one without another change', () => {
    expect(runFields(run)).toEqual({
      ...runFields(sampleRun()),
      attempt: 1, runName: '4-1', worker: 'h:1:0', host: 'h', gpuUuid: 'GPU-1', device: '0',
      startedAt: 5, trialDir: '/t/4-1', logPath: '/t/4-1/train.log', command: ['python', 'train.py'],
    });
    const withVersion = { ...run, newStartField: '7.0' } satisfies RunStartOf<Extended>;
    expect(runFields(withVersion as RunStart)).toMatchObject({ newStartField: '7.0', worker: 'h:1:0' });
  });

  it("lists a failed trial's viewed fields in the view's order, null where missing", () => {
    const record = { error: 'exit-code: 1', errorKind: 'exit-code' as const, host: 'h', trialDir: '/t/4-1' };
    const shown = failureView(4, record, FAILURE_VIEW);
    // The keys status --json has always had, in its order (a field added to the view comes after them).
    expect(Object.keys(shown).slice(0, 8)).toEqual(['index', 'error', 'errorKind', 'logPath', 'command', 'host', 'worker', 'finishedAt']);
    expect(Object.keys(shown)).toEqual(['index', 'error', ...Object.keys(FAILURE_VIEW)]);
    expect(shown).toMatchObject({ index: 4, error: 'exit-code: 1', errorKind: 'exit-code', logPath: null, command: null, host: 'h', worker: null, finishedAt: null });
    const more = failureView(4, record, { ...FAILURE_VIEW, trialDir: {} });
    expectTypeOf(more.trialDir).toEqualTypeOf<string | null>();
    expect(more.trialDir).toBe('/t/4-1');
    expect(failureView(5, {}, {})).toEqual({ index: 5, error: 'unknown' });
  });
});
