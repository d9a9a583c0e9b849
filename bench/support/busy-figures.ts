import { quantile, sum } from '../harness/stats.js';

/** One trial run on one worker, in milliseconds on one clock. */
export interface RunSpan {
  readonly worker: string;
  readonly start: number;
  readonly end: number;
}

export interface BusyFigures {
  trials_per_s: number;
  overhead_ms_per_trial: number;
  busy_fraction: number;
  dispatch_gap_p50_ms: number;
  dispatch_gap_p99_ms: number;
}

/**
 * The overhead figures of one campaign: wall is the first trial's start to `doneAt` (last
 * result recorded); Σ trial time counts each trial as `trialMs`, so whatever a trainer takes
 * beyond it (a late timer, a process start) counts as overhead; the dispatch gap is one run's
 * end to the next run's start on the same worker.
 */
export function busyFigures(spans: readonly RunSpan[], workers: number, trialMs: number, doneAt: number): BusyFigures {
  const first = Math.min(...spans.map((span) => span.start));
  const wall = doneAt - first;
  const trialTime = spans.length * trialMs;
  const byWorker = new Map<string, RunSpan[]>();
  for (const span of spans) byWorker.set(span.worker, [...(byWorker.get(span.worker) ?? []), span]);
  const gaps: number[] = [];
  for (const runs of byWorker.values()) {
    runs.sort((a, b) => a.start - b.start);
    for (let i = 1; i < runs.length; i++) gaps.push((runs[i]?.start ?? 0) - (runs[i - 1]?.end ?? 0));
  }
  return {
    trials_per_s: spans.length / (wall / 1000),
    overhead_ms_per_trial: (workers * wall - trialTime) / spans.length,
    busy_fraction: trialTime / (workers * wall),
    dispatch_gap_p50_ms: quantile(gaps, 0.5),
    dispatch_gap_p99_ms: quantile(gaps, 0.99),
  };
}

/** How much longer than `trialMs` the runs themselves took (timer lateness, process start…). */
export function runExcessMs(spans: readonly RunSpan[], trialMs: number): number {
  return spans.length === 0 ? Number.NaN : sum(spans.map((span) => span.end - span.start - trialMs)) / spans.length;
}
