import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { rungRule } from './rung-rule.js';

/** A rule with a param of its own, as a new rule would declare one: the quantile of the peers it cuts at. */
const quantileRule = rungRule({
  name: 'quantile',
  summary: 'stop a run below the q-quantile of the last 16 runs at a rung',
  defaults: { rungs: 'epoch-count', eta: 3, window: 16 },
  own: { q: { takes: 'a number in (0, 1)', default: 0.5, schema: z.number().gt(0).lt(1) } },
  cut: (_own, peers, settings) => [...peers].sort((a, b) => a - b)[Math.floor((settings.params?.q ?? 0.5) * peers.length)] ?? Number.NaN,
  describeCut: (settings) => `cutting at the ${settings.params?.q}-quantile`,
});

describe('rungRule with a param of its own', () => {
  it('stores it in the settings, echoes it and decides with it', () => {
    const settings = quantileRule.configure({ q: 0.25 }, { epochs: 10 });
    expect(settings).toEqual({ mode: 'quantile', rungs: [1, 3], eta: 3, minPeers: 5, window: 16, params: { q: 0.25 } });
    expect(quantileRule.configure({}, { epochs: 10 }).params).toEqual({ q: 0.5 });
    expect(quantileRule.paramsOf(settings)).toEqual({ rungs: '1,3', eta: 3, window: 16, q: 0.25 });
    expect(quantileRule.configure(quantileRule.paramsOf(settings), { epochs: 10 })).toEqual(settings);
    expect(quantileRule.cut(0, [0.4, 0.1, 0.3, 0.2], settings)).toBe(0.2);
  });

  it('refuses a bad value naming it, and lists it among the params', () => {
    expect(() => quantileRule.configure({ q: 2 }, { epochs: 10 })).toThrow(/^prune quantile: q: .*1.*\. prune quantile takes rungs \(.*\), eta \(.*\), window \(.*\), q \(a number in \(0, 1\); default 0\.5\)$/);
    expect(() => quantileRule.configure({ qq: 0.2 }, { epochs: 10 })).toThrow(/^prune quantile has no param "qq"\./);
  });
});
