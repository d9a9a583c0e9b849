import { describeKeepArtifacts } from '@hyperevolve/contract';
import type { CampaignStore } from '../campaign/campaign-store.js';
import { diskView } from './disk-view.js';
import { estimateSavedMs } from './pruning-savings.js';
import type { CampaignView } from './status-view.js';
import { throughput } from './throughput.js';

const RECENT_FAILURES = 5;
const RECENT_PRUNED = 3;
/** Latest trials (by index) whose warnings status shows. */
const RECENT_WARNED = 3;
/** Latest recorded trials the pace is measured over. */
const PACE_WINDOW = 50;

/** One campaign's line of `status`, or null when it vanished meanwhile. */
export async function readCampaignView(store: CampaignStore, name: string, now: number, failures = RECENT_FAILURES): Promise<CampaignView | null> {
  const [config, state] = await Promise.all([store.readConfig(name), store.readState(name)]);
  if (config === null || state === null) return null;
  // Failures before the last resume are history (the trials table has them), not current ones.
  const current = Math.max(0, state.failed - state.clearedFailures);
  const { inflight, failed, recorded } = await store.readRecentIndices(name, Math.min(failures, current), PACE_WINDOW);
  const pruning = config.pruning.mode !== 'none';
  const [statuses, finishTimes, recentFailures, recentPruned, durations, warnings, disk] = await Promise.all([
    store.trials.readStatuses(name, inflight),
    store.trials.readFinishTimes(name, recorded),
    store.trials.readFailures(name, failed),
    pruning ? store.trials.readPruned(name, RECENT_PRUNED) : [],
    pruning ? store.trials.readDurations(name, recorded) : ([] as (number | null)[]),
    store.trials.readWarnings(name, RECENT_WARNED),
    store.readDiskUse(name),
  ]);
  const finishes = finishTimes.filter((at): at is number => at !== null);
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
    exportError: state.exportError === undefined ? null : `${state.exportError}${state.exportErrorAt === undefined ? '' : ` (since ${new Date(state.exportErrorAt).toISOString()})`}`,
    budget: state.budget,
    recorded: state.recorded,
    progress: state.budget > 0 ? Math.min(1, state.recorded / state.budget) : 0,
    imported: config.importedRows,
    failed: state.failed,
    clearedFailures: Math.min(state.clearedFailures, state.failed),
    epochs: state.epochs,
    pruning: !pruning ? null : {
      mode: config.pruning.mode,
      rungs: [...config.pruning.rungs],
      window: config.pruning.window,
      pruned: state.pruned,
      savedGpuMs: estimateSavedMs(state.pruned, state.prunedMs, durations.filter((ms): ms is number => ms !== null)),
      recent: [...recentPruned].reverse().map(({ index, rung, fitness, cut }) => ({ index, rung, fitness, cut })),
    },
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
    warnings,
    disk: diskView(describeKeepArtifacts(config.keepArtifacts), disk),
  };
}

