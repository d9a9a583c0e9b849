import { FAILURE_VIEW, describeAllowedCommands, type FailureViewSpec, type Stray, type TRIAL_FIELDS } from '@hyperevolve/contract';
import { escapeControl, formatByteSize } from '@hyperevolve/runtime';
import { restoreAdvice } from '../exports/orphaned-exports.js';
import { failedLabel } from './failed-label.js';
import { formatDuration } from './format-duration.js';
import { formatSignificant } from './format-number.js';
import { queuedView } from './queued-view.js';
import type { DiskView } from './disk-view.js';
import type { CampaignView, FailureView, StatusView, WorkerView } from './status-view.js';

const BAR_WIDTH = 30;

function bar(progress: number): string {
  const filled = Math.round(Math.min(1, Math.max(0, progress)) * BAR_WIDTH);
  return `[${'#'.repeat(filled)}${'.'.repeat(BAR_WIDTH - filled)}]`;
}

function queuedLabel(c: CampaignView): string {
  const queued = queuedView(c);
  if (queued === null) return '';
  return queued.label === 'held' ? `  held ${queued.count} (until resume)` : `  waiting ${queued.count}`;
}

/** Text from Redis (a trainer's log lines inside a failure, names from other hosts) as it may reach a terminal. */
const safe = (text: string): string => escapeControl(text, true);
/** A multi-line failure message (the log's last lines), each line escaped. */
const safeLines = (text: string): string => text.split('\n').map(safe).join('\n');

function campaignLines(c: CampaignView): string[] {
  const percent = `${Math.floor(c.progress * 100)}%`;
  const lines = [
    `${c.name}  ${c.status}  ${bar(c.progress)} ${c.recorded}/${c.budget} ${percent}${c.imported > 0 ? `  (+${c.imported} imported)` : ''}`,
    `  running ${c.running}${queuedLabel(c)}  failed ${failedLabel(c)}` +
      `  best ${c.best === null ? '-' : `${formatSignificant(c.best.fitness)} (trial ${c.best.trial})`}` +
      `  ${c.trialsPerHour === null ? '-' : c.trialsPerHour.toFixed(1)} trials/h  eta ${c.etaSeconds === null ? '-' : formatDuration(c.etaSeconds * 1000)}`,
  ];
  if (c.pruning !== null && c.pruning !== undefined) {
    const { mode, rungs, window, pruned, savedGpuMs } = c.pruning;
    const against = window === null ? 'every run' : `the last ${window} runs`;
    lines.push(`  pruning ${mode} at epochs ${rungs.join(',')} against ${against} there: ${pruned} pruned, ~${formatDuration(savedGpuMs)} GPU time saved`);
    for (const trial of c.pruning.recent ?? []) {
      lines.push(`  pruned trial ${trial.index} after epoch ${trial.rung}: fitness ${formatSignificant(trial.fitness)} below the cut ${formatSignificant(trial.cut)}`);
    }
  }
  if (c.disk !== null && c.disk !== undefined) lines.push(diskLine(c.disk));
  if (c.pausedReason !== null && c.pausedReason !== '') lines.push(`  paused: ${safeLines(c.pausedReason)}`);
  if (c.waitingFor !== null && c.waitingFor !== undefined) lines.push(`  waiting: ${safeLines(c.waitingFor)}`);
  if (c.exportError !== null && c.exportError !== undefined) lines.push(`  exports failing: ${safeLines(c.exportError)}`);
  lines.push(...warningLines(c));
  for (const f of c.recentFailures) {
    lines.push(`  failed trial ${f.index}${f.host === null ? '' : ` on ${safe(f.host)}`}: ${safeLines(f.error)}`);
    lines.push(...failureLines(f));
  }
  return lines;
}

/** `  disk 1.20 MiB in 6 runs (keep best:3): gpu-a 1.00 MiB, gpu-b 204 KiB`: what its trials keep, by host. */
function diskLine(disk: DiskView): string {
  const hosts = disk.hosts.map((h) => `${safe(h.host)} ${formatByteSize(h.bytes)}`).join(', ');
  return `  disk ${formatByteSize(disk.bytes)} in ${disk.runs} run${disk.runs === 1 ? '' : 's'} (keep ${disk.keep}): ${hosts}`;
}

/** Each warning of the latest warned trials (`warning: trial 7, run 7-1: …`), and how many more trials have some. */
function warningLines(c: CampaignView): string[] {
  if (c.warnings === undefined) return [];
  const { trials, recent } = c.warnings;
  const lines = recent.flatMap((t) => t.warnings.map((w) => `  warning: trial ${t.index}, run ${safe(w)}`));
  const more = trials - recent.length;
  if (more > 0) lines.push(`  warning: ${more} more trial${more === 1 ? '' : 's'} with warnings (each trial's record in the dashboard shows them)`);
  return lines;
}

/** A shown field's value as one line of text: text as it is, anything else as JSON. */
function shownValue(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/**
 * The lines under a failure: each field of the failure view that has a `line` label, in the
 * view's order (contract's FAILURE_VIEW; today `log <path>`); a missing or empty value prints nothing.
 */
export function failureLines(failure: FailureView, view: FailureViewSpec<typeof TRIAL_FIELDS> = FAILURE_VIEW): string[] {
  const lines: string[] = [];
  for (const [name, spec] of Object.entries(view) as [string, { readonly line?: string } | undefined][]) {
    const value = (failure as Record<string, unknown>)[name];
    if (spec?.line === undefined || value === null || value === undefined || value === '') continue;
    lines.push(`    ${spec.line} ${safe(shownValue(value))}`);
  }
  return lines;
}

function workerRow(w: WorkerView): string[] {
  return [
    safe(w.host),
    safe(w.device),
    safe(w.gpuUuid ?? '-'),
    safe(w.currentTrial ?? (w.silent ? '?' : 'idle')) + epochText(w),
    formatDuration(w.trialElapsedMs),
    `${formatDuration(w.lastBeatAgoMs)} ago`,
    // What it may run: a campaign whose command no live worker allows waits (its waiting: line says so).
    w.allowed === null ? '?' : safe(describeAllowedCommands(w.allowed)),
    w.silent ? 'SILENT' : '',
  ];
}

/** ` epoch 3/10 fitness 0.41234` beside a running trial that reported an epoch. */
function epochText(w: WorkerView): string {
  if (w.currentTrial === null || w.epoch === undefined) return '';
  const { done, of, fitness } = w.epoch;
  return ` epoch ${done}/${of ?? '?'}${fitness === null ? '' : ` fitness ${formatSignificant(fitness)}`}`;
}

function table(header: string[], rows: string[][]): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]): string => `  ${cells.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join('  ')}`.trimEnd();
  return [line(header), ...rows.map(line)];
}

function strayLine(w: WorkerView, stray: Stray): string {
  const where = `${safe(w.host)} ${w.device === 'cpu' ? 'cpu' : `GPU ${safe(w.device)}`}`;
  if (stray.origin === 'escaped') {
    return `  warning: the run of trainer ${stray.pid} on ${where} may have left a process behind: after it ended, something outside its process group, ` +
      'its environment and any cgroup still held its output open; find it (ps -eo pid,sid,etime,args) and kill it; a cgroup per run (HYPEREVOLVE_TRAINER_CGROUPS) prevents this';
  }
  const memory = stray.memoryMiB === null ? '' : ` holding ${stray.memoryMiB} MiB`;
  const why = stray.origin === 'run-leftover'
    ? 'is left from an ended trial and survived SIGKILL (stuck in the kernel?)'
    : 'is on the GPU while no trial runs there (left by an earlier run, or someone else\'s job)';
  return `  warning: process ${stray.pid} on ${where}${memory} ${why}; trials there may run short of memory: stop it (kill ${stray.pid})`;
}

/** Plain lines (no colours, no cursor tricks): readable in a log file and over ssh. */
export function renderStatus(view: StatusView): string {
  const lines: string[] = [];
  for (const risk of view.redisRisks ?? []) lines.push(`warning: ${risk.message}`);
  const outOfMemory = (view.redisRisks ?? []).some((risk) => risk.kind === 'out-of-memory');
  if (view.schedulers.length === 0) {
    lines.push(outOfMemory
      ? 'no scheduler serve has written a heartbeat lately: Redis refuses writes (out of memory, above), so a running serve cannot say it is alive'
      : 'no scheduler serve is running: nothing is bred or recorded (start one: scheduler serve)');
  }
  for (const lost of view.orphanedExports ?? []) lines.push(`warning: ${safe(restoreAdvice(lost))}`);
  if (view.campaigns.length === 0 && (view.unreadable ?? []).length === 0) {
    lines.push((view.orphanedExports ?? []).length > 0 ? 'no campaigns in Redis' : 'no campaigns yet (scheduler enqueue --generations N -- <training command>)');
  }
  for (const c of view.campaigns) lines.push(...campaignLines(c), '');
  for (const u of view.unreadable ?? []) lines.push(`${safe(u.name)}: cannot be read: ${safeLines(u.problem)}`, '');
  const silent = view.workers.filter((w) => w.silent).length;
  const why = outOfMemory ? 'no heartbeat: Redis refuses writes, so they may well be alive' : 'no heartbeat; crashed or cut off?';
  lines.push(`workers: ${view.workers.length - silent} alive${silent > 0 ? `, ${silent} silent (${why})` : ''}`);
  if (view.workers.length > 0) lines.push(...table(['HOST', 'DEVICE', 'GPU', 'TRIAL', 'ELAPSED', 'HEARTBEAT', 'ALLOWS', ''], view.workers.map(workerRow)));
  for (const w of view.workers) for (const stray of w.strays ?? []) lines.push(strayLine(w, stray));
  return `${lines.join('\n')}\n`;
}
