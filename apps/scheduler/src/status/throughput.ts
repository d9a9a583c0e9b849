export interface Throughput {
  trialsPerHour: number | null;
  etaSeconds: number | null;
}

const HOUR_MS = 3_600_000;
/** A pace from fewer finished trials is noise (two quick ones after a slow start read as thousands an hour): none is shown. */
export const RATE_MIN_TRIALS = 5;

/**
 * Trials per hour over the most recent finishes (so a long pause or a resize of the cluster
 * shows within a few trials), counted up to now so a stalled campaign slows down instead of
 * keeping its old pace; ETA only while the campaign runs. Neither until {@link RATE_MIN_TRIALS}
 * trials are recorded.
 * @param recentFinishes finish times of the latest recorded trials (imported rows left out).
 */
export function throughput(input: {
  recentFinishes: readonly number[];
  now: number;
  status: string;
  startedAt: number | null;
  finishedAt: number | null;
  recorded: number;
  budget: number;
}): Throughput {
  const times = [...input.recentFinishes].sort((a, b) => a - b);
  const first = times[0];
  const last = times[times.length - 1];
  const end = input.status === 'running' ? input.now : (input.finishedAt ?? last ?? input.now);
  let rate: number | null = null;
  if (input.recorded < RATE_MIN_TRIALS) {
    rate = null;
  } else if (times.length >= 2 && first !== undefined && last !== undefined && Math.max(end, last) > first) {
    rate = (times.length - 1) / ((Math.max(end, last) - first) / HOUR_MS);
  } else if (input.startedAt !== null && end > input.startedAt) {
    rate = input.recorded / ((end - input.startedAt) / HOUR_MS);
  }
  const remaining = Math.max(0, input.budget - input.recorded);
  const etaSeconds = rate === null || rate <= 0 || input.status !== 'running' ? null : Math.round((remaining / rate) * 3600);
  return { trialsPerHour: rate, etaSeconds };
}
