import { describe, expect, it } from 'vitest';
import { RATE_MIN_TRIALS, throughput } from './throughput.js';

const base = { status: 'running', startedAt: 0, finishedAt: null, budget: 100 };

describe('throughput', () => {
  it('measures the recent pace up to now and derives the ETA from it', () => {
    // 10 trials finished one a minute; the last one just now.
    const finishes = Array.from({ length: 10 }, (_, i) => i * 60_000);
    const t = throughput({ ...base, recentFinishes: finishes, now: 9 * 60_000, recorded: 40 });
    expect(t.trialsPerHour).toBeCloseTo(60, 9);
    expect(t.etaSeconds).toBe(60 * 60);
  });

  it('slows down while nothing finishes', () => {
    const finishes = Array.from({ length: 10 }, (_, i) => i * 60_000);
    const t = throughput({ ...base, recentFinishes: finishes, now: 18 * 60_000, recorded: 40 });
    expect(t.trialsPerHour).toBeCloseTo(30, 9);
  });

  it('falls back to the average since the start with one finish in the window, and has no ETA unless running', () => {
    expect(throughput({ ...base, recentFinishes: [1_800_000], now: 3_600_000, recorded: 5 }).trialsPerHour).toBeCloseTo(5, 9);
    const paused = throughput({ ...base, status: 'paused', recentFinishes: [0, 60_000], now: 120_000, recorded: 5 });
    expect(paused.etaSeconds).toBeNull();
    expect(throughput({ ...base, recentFinishes: [], now: 10, recorded: 0 })).toEqual({ trialsPerHour: null, etaSeconds: null });
  });

  it('measures a finished campaign up to its end, not up to now', () => {
    const finishes = [0, 60_000, 120_000, 180_000, 240_000];
    const t = throughput({ ...base, status: 'done', finishedAt: 240_000, recentFinishes: finishes, now: 10 * 3_600_000, recorded: 5, budget: 5 });
    expect(t.trialsPerHour).toBeCloseTo(60, 9);
    expect(t.etaSeconds).toBeNull();
  });

  it(`shows no pace before ${RATE_MIN_TRIALS} trials are recorded: two quick trials are not thousands an hour`, () => {
    const quick = { ...base, recentFinishes: [1_000, 2_000], now: 2_000 };
    expect(throughput({ ...quick, recorded: RATE_MIN_TRIALS - 1 })).toEqual({ trialsPerHour: null, etaSeconds: null });
    expect(throughput({ ...quick, recorded: RATE_MIN_TRIALS }).trialsPerHour).toBeCloseTo(3600, 6);
  });
});
