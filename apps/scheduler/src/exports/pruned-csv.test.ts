import type { CampaignConfig } from '@hyperevolve/contract';
import { describe, expect, it } from 'vitest';
import { renderPrunedCsv } from './pruned-csv.js';

describe('pruned.csv', () => {
  it('writes fitness, cut and hyps with 5 significant digits, as evolve.csv does, never a float\'s noise', () => {
    const config = { baseHyp: { lr0: 0.01, momentum: 0.937 } } as unknown as CampaignConfig;
    const csv = renderPrunedCsv(config, [{ index: 4, rung: 3, epochs: 10, fitness: 0.07193260000000001, cut: 0.1 + 0.2, durationMs: 12_345, finishedAt: null, hyp: { lr0: 0.0123456789, momentum: 0.937 } }]);
    expect(csv).toBe('trial,rung,epochs,fitness,cut,seconds,lr0,momentum\n4,3,10,0.071933,0.3,12.3,0.012346,0.937\n');
  });
});
