import type { CampaignStore } from '../campaign/campaign-store.js';
import type { CampaignView, FailureView } from './status-view.js';
import { throughput } from './throughput.js';
import type { RedisClient } from '@hyperevolve/runtime';

const RECENT_FAILURES = 5;
/** Latest recorded trials the pace is measured over. */
const PACE_WINDOW = 50;

/** One campaign's line of `status`, or null when it vanished meanwhile. */
export async function readCampaignView(redis: RedisClient, store: CampaignStore, name: string, now: number, failures = RECENT_FAILURES): Promise<CampaignView | null> {
  const [config, state] = await Promise.all([store.readConfig(name), store.readState(name)]);
  if (config === null || state === null) return null;
  const keys = store.keys(name);
  const [inflight, failedIndices, recentRows] = await Promise.all([
    redis.smembers(keys.inflight),
    redis.lrange(keys.failures, -failures, -1),
    redis.lrange(keys.rows, -PACE_WINDOW, -1),
  ]);
  const pipeline = redis.pipeline();
  for (const index of inflight) pipeline.hget(keys.trial(Number(index)), 'status');
  for (const index of recentRows) pipeline.hmget(keys.trial(Number(index)), 'finishedAt', 'origin');
  for (const index of failedIndices) pipeline.hmget(keys.trial(Number(index)), 'error', 'errorKind', 'logPath', 'command', 'host', 'worker', 'finishedAt');
  const replies = ((await pipeline.exec()) ?? []).map(([error, value]) => {
    if (error !== null) throw error;
    return value;
  });
  const statuses = replies.slice(0, inflight.length) as (string | null)[];
  const finishes = (replies.slice(inflight.length, inflight.length + recentRows.length) as (string | null)[][])
    .filter(([finishedAt, origin]) => origin !== 'imported' && finishedAt !== null && finishedAt !== undefined)
    .map(([finishedAt]) => Number(finishedAt));
  const recentFailures = (replies.slice(inflight.length + recentRows.length) as (string | null)[][]).map(
    ([error, errorKind, logPath, command, host, worker, finishedAt], i): FailureView => ({
      index: Number(failedIndices[i]),
      error: error ?? 'unknown',
      errorKind: errorKind ?? null,
      logPath: logPath ?? null,
      command: parseCommand(command ?? null),
      host: host ?? null,
      worker: worker ?? null,
      finishedAt: finishedAt === null || finishedAt === undefined ? null : Number(finishedAt),
    }),
  );
  const running = statuses.filter((s) => s === 'running').length;
  const pace = throughput({
    recentFinishes: finishes,
    now,
    status: state.status,
    startedAt: state.startedAt ?? null,
    finishedAt: state.finishedAt ?? null,
    recorded: state.recorded,
    budget: state.budget,
  });
  return {
    name,
    status: state.status,
    pausedReason: state.pausedReason ?? null,
    budget: state.budget,
    recorded: state.recorded,
    progress: state.budget > 0 ? Math.min(1, state.recorded / state.budget) : 0,
    imported: config.importedRows,
    failed: state.failed,
    inflight: inflight.length,
    running,
    queued: inflight.length - running,
    best: state.bestTrial === undefined || state.bestFitness === undefined ? null : { trial: state.bestTrial, fitness: state.bestFitness },
    trialsPerHour: pace.trialsPerHour,
    etaSeconds: pace.etaSeconds,
    startedAt: state.startedAt ?? null,
    finishedAt: state.finishedAt ?? null,
    waitingFor: null,
    recentFailures,
  };
}

function parseCommand(raw: string | null): string[] | null {
  if (raw === null) return null;
  try {
    const parsed: unknown = JSON.parse(raw);
    return Array.isArray(parsed) ? parsed.map(String) : null;
  } catch {
    return null;
  }
}
