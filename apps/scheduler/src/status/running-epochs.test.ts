import { describe, expect, it } from 'vitest';
import type { CampaignConfig } from '@hyperevolve/contract';
import type { TrialProgress } from '@hyperevolve/trial-store';
import { withRunningEpochs } from './running-epochs.js';
import type { WorkerView } from './status-view.js';

const worker = (currentTrial: string | null): WorkerView => ({
  id: 'h:1:0', host: 'h', device: '0', gpuUuid: null, pid: 1, currentTrial, trialStartedAt: 0, trialElapsedMs: 0, lastBeatAt: 0, lastBeatAgoMs: 0, silent: false, allowed: null,
});
const config = { name: 'exp', adapter: 'yolov5', fitnessWeights: [0, 0, 0.1, 0.9] } as unknown as CampaignConfig;

function progressOf(byIndex: Record<number, TrialProgress>) {
  return { readProgress: (_campaign: string, indices: readonly number[]) => Promise.resolve(indices.map((i) => byIndex[i] ?? { epoch: 0, epochs: null, metrics: null, fitness: null })) };
}

describe('withRunningEpochs', () => {
  it("gives a running trial its latest epoch and that epoch's fitness by the campaign's weights", async () => {
    const trials = progressOf({
      3: { epoch: 2, epochs: 10, metrics: { 'metrics/precision': 0.5, 'metrics/recall': 0.5, 'metrics/mAP_0.5': 0.4, 'metrics/mAP_0.5:0.95': 0.2 }, fitness: null },
      4: { epoch: 1, epochs: null, metrics: null, fitness: 0.7 },
      5: { epoch: 1, epochs: 3, metrics: null, fitness: null },
    });
    const views = await withRunningEpochs([worker('exp/3'), worker('exp/4'), worker('exp/5'), worker('exp/6'), worker('other/3'), worker(null)], trials, new Map([['exp', config]]));
    expect(views.map((view) => view.epoch)).toEqual([
      { done: 2, of: 10, fitness: expect.closeTo(0.1 * 0.4 + 0.9 * 0.2, 12) as unknown },
      { done: 1, of: null, fitness: 0.7 },
      { done: 1, of: 3, fitness: null },
      undefined,
      undefined,
      undefined,
    ]);
  });
});
