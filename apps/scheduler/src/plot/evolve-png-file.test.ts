import pino from 'pino';
import { describe, expect, it } from 'vitest';
import type { CampaignConfig } from '@hyperevolve/contract';
import type { CampaignStore } from '../campaign/campaign-store.js';
import type { PopulationPoint } from './evolve-panels.js';
import { EvolvePngFile } from './evolve-png-file.js';
import type { PopulationPoints } from './population-points.js';

const config = {
  name: 'exp',
  baseHyp: { lr0: 0.01, momentum: 0.9 },
  space: { lr0: { gain: 1, lower: 0.001, upper: 0.1 }, momentum: { gain: 0, lower: 0.6, upper: 0.98 } },
} as unknown as CampaignConfig;

function harness(minIntervalMs: number) {
  const rows: PopulationPoint[] = [];
  let status = 'running';
  const requests: number[] = [];
  const file = new EvolvePngFile({
    store: { readState: async () => Promise.resolve({ status }) } as unknown as CampaignStore,
    points: { read: async () => Promise.resolve([...rows]) } as unknown as PopulationPoints,
    log: pino({ level: 'silent' }),
    minIntervalMs,
  });
  file.onReady(() => requests.push(Date.now()));
  const add = (n: number) => {
    for (let i = 0; i < n; i++) rows.push({ index: rows.length, finishedAt: rows.length, fitness: 0.2 + (rows.length % 7) / 100, hyp: { lr0: 0.01 + rows.length / 1000, momentum: 0.9 } });
  };
  return { file, add, requests, finish: () => (status = 'done') };
}

const isPng = (bytes: Uint8Array | string | null) => bytes instanceof Uint8Array && bytes[1] === 0x50 && bytes[2] === 0x4e && bytes[3] === 0x47;

describe('EvolvePngFile', () => {
  it('renders in the background, hands the picture to the next export, and throttles the one after', async () => {
    const { file, add, requests } = harness(1500);
    expect(await file.extra.render(config, '/unused')).toBeNull();
    add(5);
    expect(await file.extra.render(config, '/unused')).toBeNull();
    await expect.poll(() => requests.length, { timeout: 20_000 }).toBe(1);
    const started = Date.now();
    add(1);
    expect(isPng(await file.extra.render(config, '/unused'))).toBe(true);
    expect(await file.extra.render(config, '/unused')).toBeNull();
    await expect.poll(() => requests.length, { timeout: 20_000 }).toBe(2);
    expect((requests[1] ?? 0) - started).toBeGreaterThanOrEqual(900);
    file.close();
  });

  it('draws a finished campaign at once, in the background, and only once for the same rows', async () => {
    const { file, add, finish, requests } = harness(60_000);
    add(4);
    expect(await file.extra.render(config, '/unused')).toBeNull();
    await expect.poll(() => requests.length, { timeout: 20_000 }).toBe(1);
    expect(isPng(await file.extra.render(config, '/unused'))).toBe(true);
    // One more row and the campaign done: no 60 s throttle, and the export that asks does not wait for the drawing.
    add(1);
    finish();
    expect(await file.extra.render(config, '/unused')).toBeNull();
    await expect.poll(() => requests.length, { timeout: 20_000 }).toBe(2);
    expect(isPng(await file.extra.render(config, '/unused'))).toBe(true);
    expect(await file.extra.render(config, '/unused')).toBeNull();
    expect(requests).toHaveLength(2);
    file.close();
  });
});
