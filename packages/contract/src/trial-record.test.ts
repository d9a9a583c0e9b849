import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { TRIAL_FIELDS, TrialRecordSchema, encodeTrialFields, type TrialRecord } from './trial-record.js';

const fixture = JSON.parse(readFileSync('fixtures/redis/campaigns-1af88bb.json', 'utf8')) as { keys: Record<string, { hash?: Record<string, string> }> };
const legacyTrials = Object.entries(fixture.keys).filter(([key]) => key.includes(':trial:'));

describe('TrialRecord', () => {
  it('says for every field who writes it and when', () => {
    for (const [name, spec] of Object.entries(TRIAL_FIELDS)) {
      expect(spec.writtenBy.length, name).toBeGreaterThan(0);
      expect(spec.when, name).not.toBe('');
    }
  });

  it.each(legacyTrials)('reads %s as 1af88bb wrote it', (_key, value) => {
    const parsed = TrialRecordSchema.safeParse(value.hash);
    expect(parsed.success, parsed.error?.message).toBe(true);
    expect(Object.keys(parsed.data ?? {}).sort()).toEqual(Object.keys(value.hash ?? {}).sort());
    const metrics = parsed.data?.metrics;
    if (metrics !== undefined) expect(Object.keys(metrics)).toContain('metrics/mAP_0.5:0.95');
  });

  it('encodes what it decodes', () => {
    const record: TrialRecord = {
      index: 3, status: 'succeeded', origin: 'population', hyp: { lr0: 0.01, momentum: 0.9 }, parents: [1], pool: [1, 0], poolSize: 2, draws: 1,
      createdAt: 1, attempt: 1, runName: '3-1', worker: 'h:1:0', host: 'h', device: '0', gpuUuid: 'GPU-1', startedAt: 2, trialDir: '/t/3-1',
      logPath: '/t/3-1/train.log', command: ['python', "it's"], runEndedAt: 3, durationMs: 1, metrics: { 'metrics/mAP_0.5': 0.5, 'val/obj_loss': null },
      error: 'exit-code: 1', errorKind: 'exit-code', failedRuns: ['3-0'], failedAttempts: 1, fitness: 0.25, finishedAt: 4,
    };
    const encoded = encodeTrialFields(record);
    expect(Object.values(encoded).every((v) => typeof v === 'string')).toBe(true);
    expect(TrialRecordSchema.parse(encoded)).toEqual(record);
  });

  it.each([
    [{ hyp: '{"lr0": 0.01' }, /^hyp: not JSON \("\{\\"lr0\\": 0\.01"\); expected a map of hyp name to number$/],
    [{ hyp: '{"lr0": "0.01; rm -rf /"}' }, /^hyp\.lr0: /],
    [{ status: 'lost' }, /^status: /],
    [{ fitness: 'nan' }, /^fitness: expected a finite number, got "nan"$/],
    [{ index: '1.5' }, /^index: expected an integer$/],
    [{ metrics: '[1, 2]' }, /^metrics: /],
  ])('names the damaged field of %j', (raw, message) => {
    const parsed = TrialRecordSchema.safeParse(raw);
    expect(parsed.success).toBe(false);
    const issue = parsed.error?.issues[0];
    expect(`${issue?.path.join('.')}: ${issue?.message}`).toMatch(message);
  });
});
