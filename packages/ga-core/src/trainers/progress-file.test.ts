import { describe, expect, it } from 'vitest';
import { formatProgressLine, parseProgressLine } from './progress-file.js';

describe('the progress file line', () => {
  it('reads back what a trainer writes, nan as null', () => {
    const text = formatProgressLine({ epoch: 2, epochs: 10, metrics: { 'metrics/mAP_0.5': 0.5, 'val/box_loss': Number.NaN } });
    expect(text).toBe('{"epoch":2,"epochs":10,"metrics":{"metrics/mAP_0.5":0.5,"val/box_loss":"nan"}}');
    expect(parseProgressLine(text)).toEqual({ ok: true, line: { epoch: 2, epochs: 10, metrics: { 'metrics/mAP_0.5': 0.5, 'val/box_loss': null } } });
  });

  it('takes a fitness alone, or an epoch with nothing measured', () => {
    expect(parseProgressLine('{"epoch": 0, "fitness": 0.25}')).toEqual({ ok: true, line: { epoch: 0, fitness: 0.25 } });
    expect(parseProgressLine('{"epoch": 3}')).toEqual({ ok: true, line: { epoch: 3 } });
  });

  it('names what is wrong with an odd line instead of throwing', () => {
    expect(parseProgressLine('{"epoch": 0, "fit')).toMatchObject({ ok: false, error: expect.stringMatching(/^not JSON: .*HYPEREVOLVE_PROGRESS_FILE must be one JSON object/) as unknown });
    expect(parseProgressLine('{"epoch": -1}')).toMatchObject({ ok: false, error: expect.stringMatching(/epoch: .*expected \{"epoch": <0-based epoch>/) as unknown });
    expect(parseProgressLine('{"epoch": 1, "fitness": "high"}')).toMatchObject({ ok: false, error: expect.stringMatching(/fitness:/) as unknown });
    expect(parseProgressLine('[1, 2]')).toMatchObject({ ok: false });
  });
});
