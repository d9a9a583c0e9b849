import type { Redis } from 'ioredis';
import { WorkerHeartbeatSchema, globalKeys } from '@hyperevolve/contract';
import type { CampaignStore } from '../campaign/campaign-store.js';
import { aliveSchedulers } from '../serve/presence.js';
import { WORKER_STALE_MS } from '../serve/top-up.js';

export interface FailureView {
  index: number;
  error: string;
  logPath: string | null;
  command: string[] | null;
}

export interface CampaignView {
  name: string;
  status: string;
  pausedReason: string | null;
  budget: number;
  recorded: number;
  imported: number;
  failed: number;
  inflight: number;
  running: number;
  best: { trial: number; fitness: number } | null;
  trialsPerHour: number | null;
  etaSeconds: number | null;
  startedAt: number | null;
  finishedAt: number | null;
  recentFailures: FailureView[];
}

export interface WorkerView {
  id: string;
  host: string;
  device: string;
  gpuUuid: string | null;
  pid: number;
  currentTrial: string | null;
  trialElapsedMs: number | null;
  lastBeatAgoMs: number;
  silent: boolean;
}

export interface StatusView {
  at: number;
  schedulers: string[];
  campaigns: CampaignView[];
  workers: WorkerView[];
}

const RECENT_FAILURES = 5;

/** Everything `status` shows, as a stable JSON-able object (the `--json` output). */
export async function collectStatus(redis: Redis, store: CampaignStore, only: string | null): Promise<StatusView> {
  const now = Date.now();
  const names = only === null ? await store.listNames() : [only];
  const campaigns: CampaignView[] = [];
  for (const name of names) {
    const [config, state] = await Promise.all([store.readConfig(name), store.readState(name)]);
    if (config === null || state === null) continue;
    const keys = store.keys(name);
    const inflight = await redis.smembers(keys.inflight);
    const statuses = inflight.length === 0 ? [] : await Promise.all(inflight.map((i) => redis.hget(keys.trial(Number(i)), 'status')));
    const failedIndices = (await redis.lrange(keys.failures, -RECENT_FAILURES, -1)).map(Number);
    const recentFailures: FailureView[] = [];
    for (const index of failedIndices) {
      const [error, logPath, command] = await redis.hmget(keys.trial(index), 'error', 'logPath', 'command');
      recentFailures.push({ index, error: error ?? 'unknown', logPath: logPath ?? null, command: command === null || command === undefined ? null : (JSON.parse(command) as string[]) });
    }
    const startedAt = state.startedAt ?? null;
    const end = state.finishedAt ?? now;
    const hours = startedAt === null ? 0 : (end - startedAt) / 3_600_000;
    const rate = hours > 0 && state.recorded > 0 ? state.recorded / hours : null;
    const remaining = Math.max(0, state.budget - state.recorded);
    campaigns.push({
      name,
      status: state.status,
      pausedReason: state.pausedReason ?? null,
      budget: state.budget,
      recorded: state.recorded,
      imported: config.importedRows,
      failed: state.failed,
      inflight: inflight.length,
      running: statuses.filter((s) => s === 'running').length,
      best: state.bestTrial === undefined || state.bestFitness === undefined ? null : { trial: state.bestTrial, fitness: state.bestFitness },
      trialsPerHour: rate,
      etaSeconds: rate === null || state.status !== 'running' ? null : Math.round((remaining / rate) * 3600),
      startedAt,
      finishedAt: state.finishedAt ?? null,
      recentFailures,
    });
  }
  return { at: now, schedulers: await aliveSchedulers(redis, store.prefix), campaigns, workers: await collectWorkers(redis, store.prefix, now) };
}

async function collectWorkers(redis: Redis, prefix: string, now: number): Promise<WorkerView[]> {
  const keys = globalKeys(prefix);
  const ids = await redis.zrange(keys.workers, 0, -1);
  const views: WorkerView[] = [];
  for (const id of ids) {
    const parsed = WorkerHeartbeatSchema.safeParse(await redis.hgetall(keys.worker(id)));
    if (!parsed.success) continue;
    const beat = parsed.data;
    views.push({
      id,
      host: beat.host,
      device: beat.device,
      gpuUuid: beat.gpuUuid ?? null,
      pid: beat.pid,
      currentTrial: beat.currentTrial ?? null,
      trialElapsedMs: beat.trialStartedAt === undefined || beat.currentTrial === undefined ? null : now - beat.trialStartedAt,
      lastBeatAgoMs: now - beat.lastBeat,
      silent: now - beat.lastBeat > WORKER_STALE_MS,
    });
  }
  return views.sort((a, b) => a.host.localeCompare(b.host) || a.device.localeCompare(b.device, undefined, { numeric: true }));
}
