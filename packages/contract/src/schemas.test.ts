import { describe, expect, it } from 'vitest';
import { isValidHypName } from '@hyperevolve/ga-core';
import { HypNameSchema, HypSchema, TrialJobSchema } from './schemas.js';

describe('HypSchema', () => {
  it('accepts exactly the hyp names ga-core accepts', () => {
    const names = ['lr0', 'warmup_bias_lr', '_x', 'a.b-c', 'fl_gamma', '0lr', 'lr 0', 'lr0\nevil', 'lr0:', 'yes', 'NULL', '__proto__', '', 'é', '-x', 'x;rm'];
    for (const name of names) expect(HypNameSchema.safeParse(name).success, name).toBe(isValidHypName(name));
  });

  it('refuses a trial job whose hyp could write anything but name: number lines', () => {
    const job = { v: 1, campaign: 'exp', index: 0, command: ['python', 'train.py'], adapter: 'yolov5', timeoutMs: null, fastTrials: true };
    expect(TrialJobSchema.safeParse({ ...job, hyp: { lr0: 0.01 } }).success).toBe(true);
    expect(TrialJobSchema.safeParse({ ...job, hyp: { lr0: '0.01\nevil: 1' } }).success).toBe(false);
    expect(TrialJobSchema.safeParse({ ...job, hyp: { 'lr0: 1\nevil': 0.01 } }).success).toBe(false);
    expect(HypSchema.safeParse({ lr0: Number.NaN }).success).toBe(false);
    expect(HypSchema.safeParse({ lr0: Number.POSITIVE_INFINITY }).success).toBe(false);
  });
});
