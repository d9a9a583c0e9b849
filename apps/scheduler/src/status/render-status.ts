import type { CampaignView, StatusView, WorkerView } from './collect-status.js';

function bar(done: number, total: number, width = 24): string {
  const share = total <= 0 ? 0 : Math.min(1, done / total);
  const filled = Math.round(share * width);
  return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}]`;
}

function duration(ms: number | null): string {
  if (ms === null) return '-';
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

function campaignLines(c: CampaignView): string[] {
  const lines = [
    `${c.name}  ${c.status}  ${bar(c.recorded, c.budget)} ${c.recorded}/${c.budget}` +
      `  running ${c.running}  queued ${Math.max(0, c.inflight - c.running)}  failed ${c.failed}` +
      (c.imported > 0 ? `  imported ${c.imported}` : ''),
    `  best ${c.best === null ? '-' : `${c.best.fitness.toFixed(5)} (trial ${c.best.trial})`}` +
      `  rate ${c.trialsPerHour === null ? '-' : `${c.trialsPerHour.toFixed(1)}/h`}  eta ${c.etaSeconds === null ? '-' : duration(c.etaSeconds * 1000)}`,
  ];
  if (c.pausedReason !== null) lines.push(`  paused: ${c.pausedReason}`);
  for (const f of c.recentFailures) lines.push(`  failed trial ${f.index}: ${f.error}${f.logPath === null ? '' : `  (log ${f.logPath})`}`);
  return lines;
}

function workerLine(w: WorkerView): string {
  const gpu = w.gpuUuid === null ? '' : ` ${w.gpuUuid}`;
  const doing = w.currentTrial === null ? 'idle' : `trial ${w.currentTrial} for ${duration(w.trialElapsedMs)}`;
  return `  ${w.host}  device ${w.device}${gpu}  ${doing}  beat ${duration(w.lastBeatAgoMs)} ago${w.silent ? '  SILENT' : ''}`;
}

/** Plain lines (no colours, no cursor tricks): readable in a log file and over ssh. */
export function renderStatus(view: StatusView): string {
  const lines: string[] = [];
  if (view.schedulers.length === 0) lines.push('no scheduler serve is running (start one: scheduler serve)');
  if (view.campaigns.length === 0) lines.push('no campaigns yet (scheduler enqueue --generations N -- <training command>)');
  for (const c of view.campaigns) lines.push(...campaignLines(c));
  lines.push(`workers: ${view.workers.filter((w) => !w.silent).length} alive${view.workers.some((w) => w.silent) ? `, ${view.workers.filter((w) => w.silent).length} silent` : ''}`);
  for (const w of view.workers) lines.push(workerLine(w));
  return `${lines.join('\n')}\n`;
}
