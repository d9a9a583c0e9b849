import { describe, expect, it } from 'vitest';
import { MAX_SIGNATURE, failureSignature, lastLines, normaliseLine, repeatsLastFailure } from './failure-signature.js';

const importError = (dir: string, pid: number): string => [
  `2026-12-07 17:44:59.123 [${pid}] starting run ${dir}`,
  'Traceback (most recent call last):',
  `  File "${dir}/train.py", line 42, in <module>`,
  '    import torch',
  `  File "/usr/lib/python3.${pid % 7}/site-packages/torch/__init__.py", line ${pid}, in <module>`,
  "ModuleNotFoundError: No module named 'torch._C' (at 0x7f3a9c2b10)",
].join('\n');

describe('failureSignature', () => {
  it('is equal for two runs that failed the same way in other directories, at other times, with other numbers', () => {
    const a = failureSignature('exit-code', importError('/runs/exp/0-1', 4711), 'ignored');
    const b = failureSignature('exit-code', importError('/scratch/other/17-2', 9), 'ignored');
    expect(a).not.toBeNull();
    expect(a).toBe(b);
    expect(a).toContain("ModuleNotFoundError: No module named 'torch._C' (at <hex>)");
    expect(a).not.toMatch(/\d/);
  });

  it('differs by the error and by the kind', () => {
    const torch = failureSignature('exit-code', importError('/r', 1), '');
    expect(failureSignature('exit-code', importError('/r', 1).replace('torch._C', 'cv2'), '')).not.toBe(torch);
    expect(failureSignature('results-missing', importError('/r', 1), '')).not.toBe(torch);
  });

  it('keeps only the last lines of the log', () => {
    const head = Array.from({ length: 50 }, (_, i) => `epoch line ${'x'.repeat(i % 5)}`).join('\n');
    const a = failureSignature('exit-code', `${head}\n${importError('/r', 1)}`, '');
    expect(a).toBe(failureSignature('exit-code', importError('/r', 1), ''));
  });

  it('reads the message when the log is empty', () => {
    const a = failureSignature('spawn-error', '', 'the command "python9" was not found on the PATH of the worker on host-3');
    expect(a).toBe('spawn-error\nthe command "python#" was not found on the PATH of the worker on host#');
  });

  it('is null for kinds another run may survive or that depend on the hyps', () => {
    for (const kind of ['signal', 'timeout', 'stalled', 'interrupted', 'metrics-nan', 'command-not-allowed', 'bad-payload'] as const) {
      expect(failureSignature(kind, importError('/r', 1), 'x'), kind).toBeNull();
    }
  });

  it('is bounded and free of control characters whatever the trainer printed', () => {
    const hostile = `\u001b[31mError\u001b[0m: \u0007bad\u0008 \\x1b[2J ${'y'.repeat(100_000)}\n`.repeat(20);
    const signature = failureSignature('exit-code', hostile, '') ?? '';
    expect(signature.length).toBeLessThanOrEqual(MAX_SIGNATURE);
    // eslint-disable-next-line no-control-regex
    expect(signature).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/);
    expect(signature).toContain('Error: bad ');
    expect(signature).not.toContain('[31m');
  });
});

describe('normaliseLine', () => {
  it('takes out timestamps, paths, hex ids, uuids and numbers', () => {
    expect(normaliseLine('12:30:01 /home/u/run-3/a.py:17 id=3f2a9c8e11 uuid 123e4567-e89b-12d3-a456-426614174000 lr=1e-05 C:\\x\\y.txt'))
      .toBe('<time> <path>:# id=<hex> uuid <hex> lr=# <path>');
  });
});

describe('lastLines', () => {
  it('gives the last non-empty lines, each cut', () => {
    expect(lastLines('a\n\nb\r\nc\n\n', 2)).toEqual(['b', 'c']);
    expect(lastLines('z'.repeat(1000))[0]).toHaveLength(241);
  });
});

describe('repeatsLastFailure', () => {
  it('only for the same signature with no trial recorded since', () => {
    expect(repeatsLastFailure({ signature: 's', mark: 4 }, 's', 4)).toBe(true);
    expect(repeatsLastFailure({ signature: 's', mark: 4 }, 's', 5)).toBe(false);
    expect(repeatsLastFailure({ signature: 's', mark: 4 }, 't', 4)).toBe(false);
    expect(repeatsLastFailure({ signature: null, mark: null }, 's', 0)).toBe(false);
    expect(repeatsLastFailure({ signature: 's', mark: 0 }, null, 0)).toBe(false);
  });
});
