import { WorkerHeartbeatSchema, decodeAllowedCommands, globalKeys, parseStrays } from '@hyperevolve/contract';
import { WORKER_STALE_MS } from '../serve/live-workers.js';
import type { WorkerView } from './status-view.js';
import type { RedisClient } from '@hyperevolve/runtime';

/** Silent workers are listed for this long after their last heartbeat, then left out. */
const SILENT_LISTED_MS = 3_600_000;

/**
 * The workers that beat recently, and those that went silent within the last hour. A silent
 * worker's heartbeat hash may have expired already: it is then described from its id
 * (`<host>:<pid>:<device>`) and its last score in the workers set.
 */
export async function readWorkerViews(redis: RedisClient, prefix: string, now: number): Promise<WorkerView[]> {
  const keys = globalKeys(prefix);
  const scored = await redis.zrangebyscore(keys.workers, now - SILENT_LISTED_MS, '+inf', 'WITHSCORES');
  const entries: { id: string; score: number }[] = [];
  for (let i = 0; i + 1 < scored.length; i += 2) entries.push({ id: scored[i] ?? '', score: Number(scored[i + 1]) });
  if (entries.length === 0) return [];
  // One command per worker hash (they live in different cluster slots); sent together, they
  // still cost one round trip.
  const beats = await Promise.all(entries.map(({ id }) => redis.hgetall(keys.worker(id))));
  const views = entries.map(({ id, score }, i): WorkerView => {
    const parsed = WorkerHeartbeatSchema.safeParse(beats[i] ?? {});
    if (!parsed.success) return fromId(id, score, now);
    const beat = parsed.data;
    const lastBeatAt = Math.max(beat.lastBeat, score);
    const running = beat.currentTrial !== undefined;
    return {
      id,
      host: beat.host,
      device: beat.device,
      gpuUuid: beat.gpuUuid ?? null,
      pid: beat.pid,
      currentTrial: beat.currentTrial ?? null,
      trialStartedAt: running ? (beat.trialStartedAt ?? null) : null,
      trialElapsedMs: running && beat.trialStartedAt !== undefined ? Math.max(0, now - beat.trialStartedAt) : null,
      lastBeatAt,
      lastBeatAgoMs: Math.max(0, now - lastBeatAt),
      silent: now - lastBeatAt > WORKER_STALE_MS,
      allowed: decodeAllowedCommands(beat.allow),
      strays: parseStrays(beat.strays),
    };
  });
  return views.sort((a, b) => Number(a.silent) - Number(b.silent) || a.host.localeCompare(b.host) || a.device.localeCompare(b.device, undefined, { numeric: true }) || a.id.localeCompare(b.id));
}

function fromId(id: string, lastBeatAt: number, now: number): WorkerView {
  const parts = id.split(':');
  const named = parts.length >= 3;
  return {
    id,
    host: named ? parts.slice(0, -2).join(':') : id,
    device: named ? (parts[parts.length - 1] ?? '?') : '?',
    gpuUuid: null,
    pid: named ? Number(parts[parts.length - 2]) || null : null,
    currentTrial: null,
    trialStartedAt: null,
    trialElapsedMs: null,
    lastBeatAt,
    lastBeatAgoMs: Math.max(0, now - lastBeatAt),
    silent: now - lastBeatAt > WORKER_STALE_MS,
    allowed: null,
    strays: [],
  };
}
