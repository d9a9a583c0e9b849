import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { TRAINER_NAMES, isValidHypName } from '@hyperevolve/ga-core';
import { PruneSettingsSchema } from './prune-settings-schema.js';
import { AdapterSchema } from './plugins.js';
import { CampaignConfigSchema, HypNameSchema, HypSchema, TrialJobSchema } from './schemas.js';

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

describe('AdapterSchema', () => {
  it('is the registered trainer profiles, so a new profile is a new --adapter value', () => {
    expect(AdapterSchema.options).toEqual(TRAINER_NAMES);
    expect(AdapterSchema.safeParse('yolov5').success).toBe(true);
    expect(AdapterSchema.safeParse('nope').success).toBe(false);
  });
});

describe('CampaignConfigSchema', () => {
  it("takes as many fitness weights as the adapter's profile has fitness metrics", () => {
    const fixture = JSON.parse(readFileSync('fixtures/redis/campaigns-1af88bb.json', 'utf8')) as { keys: Record<string, { string?: string }> };
    const config = JSON.parse(fixture.keys['c:{legacy-yolo}:config']?.string ?? '{}') as Record<string, unknown>;
    expect(CampaignConfigSchema.safeParse(config).success).toBe(true);
    const wrong = CampaignConfigSchema.safeParse({ ...config, fitnessWeights: [0.1, 0.9] });
    expect(wrong.success).toBe(false);
    expect(wrong.error?.issues[0]?.message).toMatch(/adapter yolov5 takes 4 fitness weights \(over metrics\/precision, .*\), got 2/);
  });
});

describe('campaign strategy', () => {
  const fixture = JSON.parse(readFileSync('fixtures/redis/campaigns-1af88bb.json', 'utf8')) as { keys: Record<string, { string?: string }> };
  const legacy = JSON.parse(fixture.keys['c:{legacy-generic}:config']?.string ?? '{}') as Record<string, unknown>;

  it("reads a config an older release wrote (parentStrategy: 'weighted') as { name: 'weighted', params: {} }", () => {
    expect(legacy.parentStrategy).toBe('weighted');
    const parsed = CampaignConfigSchema.parse(legacy);
    expect(parsed.strategy).toEqual({ name: 'weighted', params: {} });
    expect(parsed).not.toHaveProperty('parentStrategy');
  });

  it('reads a config an older release wrote, with no keep-artifacts setting, as keeping everything (an upgrade deletes nothing)', () => {
    expect(legacy).not.toHaveProperty('keepArtifacts');
    expect(CampaignConfigSchema.parse(legacy).keepArtifacts).toEqual({ mode: 'all', top: 3 });
  });

  it('takes { name, params } and has the strategy check its params', () => {
    const { parentStrategy: _, ...today } = legacy;
    expect(CampaignConfigSchema.parse({ ...today, strategy: { name: 'single', params: { topN: 3 } } }).strategy).toEqual({ name: 'single', params: { topN: 3 } });
    const bad = CampaignConfigSchema.safeParse({ ...today, strategy: { name: 'single', params: { topN: -1 } } });
    expect(bad.error?.issues[0]?.path).toEqual(['strategy', 'params']);
    expect(bad.error?.issues[0]?.message).toMatch(/strategy single: params\.topN/);
    expect(CampaignConfigSchema.safeParse({ ...today, strategy: { name: 'tournament', params: {} } }).success).toBe(false);
  });
});

describe('PruneSettingsSchema', () => {
  const asha = { mode: 'asha', rungs: [1, 3], eta: 3, minPeers: 5, window: 16 };
  it("reads today's settings unchanged, those from before windows as window null, and keeps a rule's own params", () => {
    expect(PruneSettingsSchema.parse(asha)).toEqual(asha);
    expect(PruneSettingsSchema.parse({ mode: 'median', rungs: [1], eta: 3, minPeers: 5 })).toEqual({ mode: 'median', rungs: [1], eta: 3, minPeers: 5, window: null });
    expect(PruneSettingsSchema.parse({ ...asha, params: { q: 0.25 } })).toEqual({ ...asha, params: { q: 0.25 } });
    expect(PruneSettingsSchema.safeParse({ ...asha, params: { q: 'x' } }).success).toBe(false);
    expect(PruneSettingsSchema.safeParse({ ...asha, params: { q: Number.POSITIVE_INFINITY } }).success).toBe(false);
  });
});
