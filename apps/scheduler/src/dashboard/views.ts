/** The panels drawn from `/api/status` and a campaign's detail: navigation, workers, the head, best hyps, failures, settings. */
import { commandAllowed, describeAllowedCommands } from '@hyperevolve/contract/allowed-commands';
import type { CampaignDetail, CampaignView, ImportanceReply, SessionReply, StatusView, WorkerView } from './api.js';
import { $, el, fillTable, type Child } from './dom.js';
import { queuedView } from '../status/queued-view.js';
import { currentFailures, failedLabel } from '../status/failed-label.js';
import { campaignUrl, formatByteSize, formatDuration, formatSignificant } from './format.js';

export function renderNav(status: StatusView, current: string | null): void {
  $('campaign-nav').replaceChildren(...status.campaigns.map((c) => el('a', { href: campaignUrl(c.name), class: c.name === current ? 'current' : null }, c.name)));
}

export function renderSession(session: SessionReply): void {
  const box = $('session');
  if (session.loopback) {
    box.replaceChildren();
  } else if (session.canAct) {
    box.replaceChildren(el('form', { method: 'post', action: '/logout', style: 'display:inline' }, el('button', { type: 'submit' }, 'Sign out')));
  } else if (session.actionsEnabled) {
    box.replaceChildren(el('a', { href: `/login?next=${encodeURIComponent(location.pathname)}` }, 'Sign in to act'));
  } else {
    box.replaceChildren(el('span', { class: 'muted' }, 'read-only'));
  }
}

/** On a campaign's page: whether the worker may run the campaign's command (null: it publishes no list and decides when it takes a job). */
function runsCampaign(w: WorkerView, command: readonly string[] | null): boolean | null {
  if (command === null || w.allowed === null) return null;
  return commandAllowed(w.allowed, command);
}

function workerRows(workers: readonly WorkerView[], highlight: string | null, command: readonly string[] | null): HTMLTableRowElement[] {
  return workers.map((w) => {
    const mine = highlight !== null && w.currentTrial !== null && w.currentTrial.startsWith(`${highlight}/`);
    const trial = w.currentTrial ?? (w.silent ? '?' : 'idle');
    const runs = runsCampaign(w, command);
    return el(
      'tr',
      { class: w.silent ? 'silent' : runs === false ? 'refuses' : null, 'data-host': w.host, 'data-runs': runs === null ? null : runs ? 'yes' : 'no' },
      el('td', {}, w.host),
      el('td', {}, w.device),
      el('td', { class: 'allows' }, w.allowed === null ? 'unknown (older worker)' : describeAllowedCommands(w.allowed), runs === false ? el('div', { class: 'small' }, "not this campaign's command") : null),
      el('td', {}, w.gpuUuid ?? '-'),
      el('td', {}, mine ? el('b', {}, trial) : trial),
      el('td', { class: 'num' }, formatDuration(w.trialElapsedMs)),
      el('td', { class: 'num' }, `${formatDuration(w.lastBeatAgoMs)} ago`),
      el('td', {}, w.silent ? 'SILENT' : ''),
    );
  });
}

/** `highlight`: the campaign whose trials are shown in bold; `command`: its command, to mark the workers that may not run it. */
export function renderWorkers(table: HTMLElement, summary: HTMLElement, workers: readonly WorkerView[], highlight: string | null, command: readonly string[] | null = null): void {
  const silent = workers.filter((w) => w.silent).length;
  const busy = workers.filter((w) => !w.silent && w.currentTrial !== null).length;
  summary.textContent = `${workers.length - silent} alive, ${busy} busy${silent > 0 ? `, ${silent} silent` : ''}`;
  fillTable(table, ['host', 'device', 'allows', 'GPU', 'trial', '#elapsed', '#heartbeat', ''], workerRows(workers, highlight, command));
}

const rate = (c: CampaignView): string => (c.trialsPerHour === null ? '-' : c.trialsPerHour.toFixed(1));
const eta = (c: CampaignView): string => (c.etaSeconds === null ? '-' : formatDuration(c.etaSeconds * 1000));

/** Campaigns ticked on the overview for a side-by-side comparison (kept across its redraws). */
const ticked = new Set<string>();

export function watchCampaignTicks(onCompare: (campaigns: string[]) => void): void {
  $('campaigns-table').addEventListener('change', (event) => {
    const box = event.target;
    if (!(box instanceof HTMLInputElement) || box.dataset.compare === undefined) return;
    if (box.checked) ticked.add(box.dataset.compare);
    else ticked.delete(box.dataset.compare);
    $<HTMLButtonElement>('compare-campaigns').disabled = ticked.size < 2;
  });
  $('compare-campaigns').addEventListener('click', () => onCompare([...ticked]));
}

export function renderOverview(status: StatusView): void {
  $('no-campaigns').hidden = status.campaigns.length > 0;
  fillTable(
    $('campaigns-table'),
    ['campaign', 'status', 'progress', '#best fitness', '#running', '#waiting', '#failed', '#trials/h', '#ETA'],
    status.campaigns.map((c) =>
      el(
        'tr',
        {},
        el('td', {}, el('input', { type: 'checkbox', 'data-compare': c.name, checked: ticked.has(c.name), 'aria-label': `compare ${c.name}` }), ' ', el('a', { href: campaignUrl(c.name) }, c.name)),
        el('td', {}, el('span', { class: `badge ${c.status}` }, c.status)),
        el('td', {}, el('span', { class: 'mini-progress' }, el('div', { style: `width:${(c.progress * 100).toFixed(1)}%` })), `${c.recorded}/${c.budget}`),
        el('td', { class: 'num' }, c.best === null ? '-' : formatSignificant(c.best.fitness)),
        el('td', { class: 'num' }, c.running),
        el('td', { class: 'num', title: queuedView(c)?.label ?? 'none will run' }, queuedView(c)?.count ?? '-'),
        el('td', { class: 'num' }, failedLabel(c)),
        el('td', { class: 'num' }, rate(c)),
        el('td', { class: 'num' }, eta(c)),
      ),
    ),
  );
  renderWorkers($('overview-workers-table'), $('overview-workers-summary'), status.workers, null);
}

/** A warning line shown only while it has something to say. */
function notice(id: string, text: string | null): void {
  const node = $(id);
  node.hidden = text === null;
  node.textContent = text ?? '';
}

export function renderHead(detail: CampaignDetail): void {
  const c = detail.campaign;
  document.title = `${c.name} · hyperevolve`;
  $('campaign-name').textContent = c.name;
  const badge = $('campaign-status');
  badge.textContent = c.status;
  badge.className = `badge ${c.status}`;
  $('progress-fill').style.width = `${(c.progress * 100).toFixed(2)}%`;
  $('progress-text').textContent = `${c.recorded} / ${c.budget} trials${c.imported > 0 ? ` (+${c.imported} imported)` : ''}`;
  const best = $('best-fitness');
  best.textContent = c.best === null ? '-' : formatSignificant(c.best.fitness);
  best.dataset.fitness = c.best === null ? '' : String(c.best.fitness);
  best.dataset.trial = c.best === null ? '' : String(c.best.trial);
  best.dataset.generation = detail.best?.generation == null ? '' : String(detail.best.generation);
  $('best-trial').textContent = c.best === null ? '-' : `#${c.best.trial}${detail.best?.generation == null ? '' : ` (gen ${detail.best.generation})`}`;
  $('running').textContent = String(c.running);
  // Held while paused; none once cancelled or done (they never run): the same words as `status`.
  const queued = queuedView(c);
  $('waiting-label').textContent = queued?.label ?? 'waiting';
  $('waiting').textContent = queued === null ? '-' : String(queued.count);
  $('failed').textContent = failedLabel(c);
  const pruning = c.pruning ?? null;
  $('pruning-stats').hidden = pruning === null;
  if (pruning !== null) {
    $('pruned').textContent = `${pruning.pruned} (~${formatDuration(pruning.savedGpuMs)} GPU saved)`;
    $('pruned').title = `--prune ${pruning.mode} at epochs ${pruning.rungs.join(',')}; saved: each pruned trial counted as a typical (median) recent full trial, less the time it ran`;
  }
  const disk = c.disk ?? null;
  $('disk-stats').hidden = disk === null;
  if (disk !== null) {
    const box = $('disk');
    box.replaceChildren(formatByteSize(disk.bytes), el('div', { class: 'small' }, disk.hosts.map((h) => `${h.host} ${formatByteSize(h.bytes)}`).join(', ')));
    box.dataset.bytes = String(disk.bytes);
    box.title = `what the ${disk.runs} run directories of its trials keep on the workers' disks (--keep-artifacts ${disk.keep})`;
  }
  $('rate').textContent = rate(c);
  $('eta').textContent = eta(c);
  notice('paused-reason', c.status === 'paused' && c.pausedReason ? `Paused: ${c.pausedReason}` : null);
  notice('waiting-for', c.waitingFor ? `Waiting: ${c.waitingFor}` : null);
  notice('export-problem', c.exportError ? `evolve.csv / hyp_evolve.yaml are not being written: ${c.exportError}` : null);
  $<HTMLButtonElement>('pause').disabled = c.status !== 'running';
  $<HTMLButtonElement>('resume').disabled = c.status !== 'paused';
  $<HTMLButtonElement>('cancel').disabled = c.status !== 'running' && c.status !== 'paused';
}

export function renderBest(detail: CampaignDetail): void {
  const base = campaignUrl(detail.campaign.name);
  $<HTMLAnchorElement>('download-yaml').href = `${base}/hyp_evolve.yaml`;
  $<HTMLAnchorElement>('download-csv').href = `${base}/evolve.csv`;
  $<HTMLAnchorElement>('evolve-png-link').href = `${base}/evolve.png`;
  const best = detail.best;
  $('best-where').textContent = best === null ? 'none yet' : `trial ${best.trial}, fitness ${formatSignificant(best.fitness)}`;
  const evolved = new Set(detail.settings.evolved);
  fillTable(
    $('best-table'),
    ['hyp', '#value', ''],
    best === null
      ? []
      : detail.settings.hypNames.map((name) =>
          el('tr', { class: evolved.has(name) ? 'evolved' : null }, el('td', {}, name), el('td', { class: 'num' }, best.hyp[name] ?? '-'), el('td', { class: 'muted' }, evolved.has(name) ? '' : 'frozen')),
        ),
  );
}

type Failure = CampaignView['recentFailures'][number];
type FailureField = Exclude<keyof Failure, 'index' | 'error'>;

/** How a failure view field reads in the table; a field added to the view (contract's FAILURE_VIEW) shows as its plain value. */
const FAILURE_CELLS: { [K in FailureField]?: { label: string; cell: (value: NonNullable<Failure[K]>, failure: Failure, base: string) => Child } } = {
  errorKind: { label: 'kind', cell: (kind) => kind },
  // A trial refused before it ran has an empty log path: no link to nothing.
  logPath: { label: 'log', cell: (path, f, base) => (path === '' ? '-' : el('a', { href: `${base}/trials/${f.index}/log`, title: path, target: '_blank' }, 'log')) },
  command: { label: 'command line', cell: (argv) => el('code', {}, argv.join(' ')) },
  finishedAt: { label: 'finished', cell: (at) => new Date(at).toLocaleString() },
};

function failureCell(field: FailureField, failure: Failure, base: string): Child {
  const value = failure[field];
  if (value === null || value === undefined) return '-';
  const spec = FAILURE_CELLS[field] as { cell: (value: unknown, failure: Failure, base: string) => Child } | undefined;
  return spec === undefined ? (Array.isArray(value) ? value.join(' ') : String(value)) : spec.cell(value, failure, base);
}

/** The latest failures, newest first; the columns are the failure view's fields, in its order. */
export function renderFailures(detail: CampaignDetail): void {
  const c = detail.campaign;
  const base = campaignUrl(c.name);
  const current = currentFailures(c);
  const cleared = c.failed - current;
  const since = cleared === 0 ? '' : ` since the last resume (${cleared} before it: the trials table has them)`;
  $('failures-summary').textContent = current === 0 ? `none${since}` : `${current}${cleared === 0 ? ' in all' : since}${current > c.recentFailures.length ? `, latest ${c.recentFailures.length} shown` : ''}`;
  const first = c.recentFailures[0];
  const fields = first === undefined ? [] : (Object.keys(first).filter((k) => k !== 'index' && k !== 'error') as FailureField[]);
  fillTable(
    $('failures-table'),
    ['trial', 'reason', ...fields.map((f) => FAILURE_CELLS[f]?.label ?? f)],
    [...c.recentFailures].reverse().map((f) => el('tr', {}, el('td', {}, f.index), el('td', {}, f.error), fields.map((field) => el('td', {}, failureCell(field, f, base))))),
  );
}

export function renderImportance(importance: ImportanceReply | null): void {
  const box = $('importance-table');
  $('importance-method').textContent = importance === null ? '' : `from ${importance.trials} recorded trials`;
  if (importance === null || importance.hyps === null) {
    box.replaceChildren(el('tbody', {}, el('tr', {}, el('td', { class: 'muted' }, `needs ${importance?.minTrials ?? 8} recorded trials`))));
    box.dataset.hyps = '0';
    return;
  }
  const top = Math.max(...importance.hyps.map((h) => h.importance), 1e-12);
  fillTable(box, ['hyp', '', '#share', '#ρ'], importance.hyps.map((h) =>
    el('tr', { 'data-hyp': h.name, title: `explains ${(h.explained * 100).toFixed(1)}% of the fitness variance alone; ${h.distinct} distinct values` },
      el('td', {}, h.name),
      el('td', { class: 'bar' }, el('div', { class: 'importance-bar', style: `width:${((h.importance / top) * 100).toFixed(1)}%` })),
      el('td', { class: 'num' }, `${(h.importance * 100).toFixed(1)}%`),
      el('td', { class: 'num', title: 'Spearman rank correlation with fitness: + higher is better, - lower is better' }, h.distinct < 2 ? el('span', { class: 'muted' }, 'never moved') : h.rankCorrelation.toFixed(2)))));
  box.dataset.hyps = String(importance.hyps.length);
  box.title = importance.method;
}

export function renderSettings(detail: CampaignDetail): void {
  const s = detail.settings;
  const rows: [string, Child][] = [
    ['command', el('code', {}, s.command.join(' '))],
    ['adapter', s.adapter],
    ['fitness weights', `${s.fitnessWeights.join(', ')} (over ${s.fitnessMetrics.join(', ')})`],
    ['strategy', Object.keys(s.strategy.params).length === 0 ? s.strategy.name : `${s.strategy.name} ${JSON.stringify(s.strategy.params)}`],
    ['seed', s.seed],
    ['exports', el('code', {}, `${s.outDir}/${detail.campaign.name}`)],
    ['evolved', `${s.evolved.length} of ${s.hypNames.length} hyps`],
  ];
  $('settings').replaceChildren(...rows.flatMap(([k, v]) => [el('dt', {}, k), el('dd', {}, v)]));
}
