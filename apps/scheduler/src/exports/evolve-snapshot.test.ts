import { describe, expect, it } from 'vitest';
import { YOLOV5_METRIC_NAMES, evolveCsvHeader, metricRecord, yolov5Profile } from '@hyperevolve/ga-core';
import type { CampaignConfig } from '@hyperevolve/contract';
import { evolveCsvChunks, renderRowLines } from './evolve-snapshot.js';

const config = {
  name: 'exp',
  baseHyp: { lr0: 0.01, momentum: 0.937 },
  adapter: 'yolov5',
  space: yolov5Profile.defaultSpace,
  fitnessWeights: [...yolov5Profile.defaultFitnessWeights],
} as unknown as CampaignConfig;

function lines(count: number): string[] {
  const metrics = metricRecord(YOLOV5_METRIC_NAMES, [0.5, 0.4, 0.3, 0.2, 0.01, 0.02, 0.03]);
  return renderRowLines(config, Array.from({ length: count }, (_, i) => ({ metrics, hyp: { lr0: 0.01 + i * 1e-5, momentum: 0.9 } })));
}

describe('evolveCsvChunks', () => {
  it.each([0, 1, 5, 2001])('joins to the header and the rows in order, nothing at all before the first row (%i rows)', (count) => {
    const rows = lines(count);
    const whole = count === 0 ? '' : evolveCsvHeader({ metricNames: YOLOV5_METRIC_NAMES, hypNames: ['lr0', 'momentum'] }) + rows.join('');
    expect(evolveCsvChunks(config, rows, 2).join('')).toBe(whole);
  });

  it('keeps each chunk to the rows asked for', () => {
    expect(evolveCsvChunks(config, lines(5), 2)).toHaveLength(4);
  });
});
