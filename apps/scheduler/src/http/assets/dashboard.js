// The dashboard page: polls the scheduler's JSON API and redraws in place (no reload).
// Plain browser JavaScript, served as is; charts by the ECharts bundle served beside it.
/* global echarts */

const POLL_MS = 2000;
const PLOT_MIN_MS = 5000;

const route = /^\/campaigns\/([^/]+)\/?$/.exec(location.pathname);
const campaignName = route === null ? null : decodeURIComponent(route[1]);
const $ = (id) => document.getElementById(id);

function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attributes)) {
    if (value === null || value === undefined || value === false) continue;
    if (key === 'class') node.className = value;
    else if (key === 'dataset') Object.assign(node.dataset, value);
    else node.setAttribute(key, value === true ? '' : String(value));
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

// A header named with a leading '#' heads a column of numbers (right-aligned).
function fillTable(table, header, rows) {
  table.replaceChildren(
    el('thead', {}, el('tr', {}, header.map((h) => (h.startsWith('#') ? el('th', { class: 'num' }, h.slice(1)) : el('th', {}, h))))),
    el('tbody', {}, rows),
  );
}

function duration(ms) {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return '-';
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  if (s < 86400) return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
  return `${Math.floor(s / 86400)}d${String(Math.floor((s % 86400) / 3600)).padStart(2, '0')}h`;
}

const fixed = (value, digits = 5) => (value === null || value === undefined || !Number.isFinite(value) ? '-' : value.toFixed(digits));
// Hyp values span 1e-5 (weight decay) to 1e3: 5 significant digits, as evolve.csv writes them.
const significant = (value) => {
  if (value === null || value === undefined || !Number.isFinite(value)) return '-';
  const abs = Math.abs(value);
  return abs !== 0 && (abs < 1e-3 || abs >= 1e5) ? value.toExponential(3) : String(Number(value.toPrecision(5)));
};
// Trials of a few seconds (sim-train, tests) need tenths; long ones read like the other durations.
const shortDuration = (ms) => (ms === null || ms === undefined || !Number.isFinite(ms) ? '-' : ms < 10_000 ? `${(ms / 1000).toFixed(1)}s` : duration(ms));
const campaignUrl = (name) => `/campaigns/${encodeURIComponent(name)}`;

async function getJson(url) {
  const response = await fetch(url, { headers: { accept: 'application/json' } });
  if (response.status === 401) {
    location.assign(`/login?next=${encodeURIComponent(location.pathname)}`);
    throw new Error('sign-in needed');
  }
  const body = await response.json().catch(() => ({}));
  if (!response.ok) throw new Error(body.error ?? `${url}: HTTP ${response.status}`);
  return body;
}

function showProblem(message) {
  const node = $('problem');
  node.hidden = message === null;
  node.textContent = message ?? '';
}

// ---- shared: navigation, session, workers ----

function renderNav(status) {
  $('campaign-nav').replaceChildren(
    ...status.campaigns.map((c) => el('a', { href: campaignUrl(c.name), class: c.name === campaignName ? 'current' : null }, c.name)),
  );
}

let session = null;
async function loadSession() {
  session = await getJson('/api/session');
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

function workerRows(workers, highlight) {
  return workers.map((w) => {
    const mine = highlight !== null && w.currentTrial !== null && w.currentTrial.startsWith(`${highlight}/`);
    const trial = w.currentTrial === null ? (w.silent ? '?' : 'idle') : w.currentTrial;
    return el(
      'tr',
      { class: w.silent ? 'silent' : null },
      el('td', {}, w.host),
      el('td', {}, w.device),
      el('td', {}, w.gpuUuid ?? '-'),
      el('td', {}, mine ? el('b', {}, trial) : trial),
      el('td', { class: 'num' }, duration(w.trialElapsedMs)),
      el('td', { class: 'num' }, `${duration(w.lastBeatAgoMs)} ago`),
      el('td', {}, w.silent ? 'SILENT' : ''),
    );
  });
}

function renderWorkers(table, summary, workers, highlight) {
  const silent = workers.filter((w) => w.silent).length;
  const busy = workers.filter((w) => !w.silent && w.currentTrial !== null).length;
  summary.textContent = `${workers.length - silent} alive, ${busy} busy${silent > 0 ? `, ${silent} silent` : ''}`;
  fillTable(table, ['host', 'device', 'GPU', 'trial', '#elapsed', '#heartbeat', ''], workerRows(workers, highlight));
}

// ---- overview ----

function renderOverview(status) {
  $('no-campaigns').hidden = status.campaigns.length > 0;
  fillTable(
    $('campaigns-table'),
    ['campaign', 'status', 'progress', '#best fitness', '#running', '#waiting', '#failed', '#trials/h', '#ETA'],
    status.campaigns.map((c) =>
      el(
        'tr',
        {},
        el('td', {}, el('a', { href: campaignUrl(c.name) }, c.name)),
        el('td', {}, el('span', { class: `badge ${c.status}` }, c.status)),
        el('td', {}, el('span', { class: 'mini-progress' }, el('div', { style: `width:${(c.progress * 100).toFixed(1)}%` })), `${c.recorded}/${c.budget}`),
        el('td', { class: 'num' }, c.best === null ? '-' : fixed(c.best.fitness)),
        el('td', { class: 'num' }, c.running),
        el('td', { class: 'num' }, c.queued),
        el('td', { class: 'num' }, c.failed),
        el('td', { class: 'num' }, c.trialsPerHour === null ? '-' : c.trialsPerHour.toFixed(1)),
        el('td', { class: 'num' }, c.etaSeconds === null ? '-' : duration(c.etaSeconds * 1000)),
      ),
    ),
  );
  renderWorkers($('overview-workers-table'), $('overview-workers-summary'), status.workers, null);
}

// ---- campaign page ----

let fitnessChart = null;
let plotChart = null;
const points = [];
let lastPlotAt = 0;
let plottedRows = -1;

function initCharts() {
  fitnessChart = echarts.init($('fitness-chart'));
  fitnessChart.setOption({
    animation: false,
    grid: { left: 60, right: 24, top: 20, bottom: 40 },
    tooltip: {
      trigger: 'item',
      formatter: (p) => (p.seriesIndex === 0 ? `trial ${p.value[2]}<br>fitness ${fixed(p.value[1])}<br>${new Date(p.value[3]).toLocaleString()}` : `best so far ${fixed(p.value[1])}`),
    },
    xAxis: { type: 'time', splitLine: { show: false } },
    yAxis: { type: 'value', scale: true, name: 'fitness', nameLocation: 'middle', nameGap: 45 },
    series: [
      { name: 'trials', type: 'scatter', symbolSize: 6, itemStyle: { color: '#31688e', opacity: 0.75 }, data: [] },
      { name: 'best so far', type: 'line', step: 'end', showSymbol: false, lineStyle: { color: '#35b779', width: 2 }, data: [] },
    ],
  });
  addEventListener('resize', () => {
    fitnessChart.resize();
    if (plotChart !== null) resizePlot();
    if (parallelChart !== null) parallelChart.resize();
    if (curvesChart !== null) curvesChart.resize();
    if (trialCurveChart !== null) trialCurveChart.resize();
  });
}

// x: finish time (rows in recording order), or trial number (idle time between enqueues
// squashes a time axis; by number every trial gets the same room).
let fitnessAxis = 'time';

function renderFitness() {
  const byTrial = fitnessAxis === 'trial';
  const scored = points.filter((p) => p[2] !== null);
  const dots = scored.map(([index, at, fitness]) => [byTrial ? index : at, fitness, index, at]);
  if (byTrial) dots.sort((a, b) => a[0] - b[0]);
  const best = [];
  let top = -Infinity;
  for (const [x, fitness] of dots) {
    if (fitness > top) top = fitness;
    best.push([x, top]);
  }
  fitnessChart.setOption({
    xAxis: byTrial
      ? { type: 'value', name: 'trial', nameLocation: 'middle', nameGap: 26, minInterval: 1, scale: true, splitLine: { show: false } }
      : { type: 'time', name: '', splitLine: { show: false } },
    series: [{ data: dots }, { data: best }],
  });
  const box = $('fitness-chart');
  box.dataset.points = String(dots.length);
  box.dataset.axis = fitnessAxis;
}

async function loadPoints() {
  const reply = await getJson(`/api/campaigns/${encodeURIComponent(campaignName)}/points?from=${points.length}`);
  if (reply.from === 0 && points.length > 0) points.length = 0;
  points.push(...reply.points);
  renderFitness();
}

let plotLayout = null;
function resizePlot() {
  const box = $('evolve-panels');
  box.style.height = `${Math.round((box.clientWidth * plotLayout.height) / plotLayout.width)}px`;
  plotChart.resize();
}

async function loadPlot(rows) {
  if (rows === plottedRows || rows === 0 || Date.now() - lastPlotAt < PLOT_MIN_MS) return;
  lastPlotAt = Date.now();
  const reply = await getJson(`/api/campaigns/${encodeURIComponent(campaignName)}/evolve-plot`);
  const box = $('evolve-panels');
  if (plotChart === null) {
    box.replaceChildren();
    plotChart = echarts.init(box);
  }
  plotLayout = reply.layout;
  resizePlot();
  plotChart.setOption(reply.option, true);
  plottedRows = reply.rows;
  box.dataset.panels = String(reply.option.grid.length);
  box.dataset.rows = String(reply.rows);
}

function renderHead(detail) {
  const c = detail.campaign;
  document.title = `${c.name} · hyperevolve`;
  $('campaign-name').textContent = c.name;
  const badge = $('campaign-status');
  badge.textContent = c.status;
  badge.className = `badge ${c.status}`;
  $('progress-fill').style.width = `${(c.progress * 100).toFixed(2)}%`;
  $('progress-text').textContent = `${c.recorded} / ${c.budget} trials${c.imported > 0 ? ` (+${c.imported} imported)` : ''}`;
  const best = $('best-fitness');
  best.textContent = c.best === null ? '-' : fixed(c.best.fitness);
  best.dataset.fitness = c.best === null ? '' : String(c.best.fitness);
  best.dataset.trial = c.best === null ? '' : String(c.best.trial);
  best.dataset.generation = detail.best?.generation ?? '';
  $('best-trial').textContent = c.best === null ? '-' : `#${c.best.trial}${detail.best?.generation == null ? '' : ` (gen ${detail.best.generation})`}`;
  $('running').textContent = c.running;
  $('waiting').textContent = c.queued;
  $('failed').textContent = c.failed;
  $('pruning-stats').hidden = !c.pruning;
  if (c.pruning) {
    $('pruned').textContent = `${c.pruning.pruned} (~${duration(c.pruning.savedGpuMs)} GPU saved)`;
    $('pruned').title = `--prune ${c.pruning.mode} at epochs ${c.pruning.rungs.join(',')}; saved: each pruned trial counted as a typical (median) recent full trial, less the time it ran`;
  }
  $('rate').textContent = c.trialsPerHour === null ? '-' : c.trialsPerHour.toFixed(1);
  $('eta').textContent = c.etaSeconds === null ? '-' : duration(c.etaSeconds * 1000);
  const reason = $('paused-reason');
  reason.hidden = !(c.status === 'paused' && c.pausedReason);
  reason.textContent = c.pausedReason ? `Paused: ${c.pausedReason}` : '';
  const waiting = $('waiting-for');
  waiting.hidden = !c.waitingFor;
  waiting.textContent = c.waitingFor ? `Waiting: ${c.waitingFor}` : '';
  const exportProblem = $('export-problem');
  exportProblem.hidden = !c.exportError;
  exportProblem.textContent = c.exportError ? `evolve.csv / hyp_evolve.yaml are not being written: ${c.exportError}` : '';
  $('pause').disabled = c.status !== 'running';
  $('resume').disabled = c.status !== 'paused';
  $('cancel').disabled = c.status !== 'running' && c.status !== 'paused';
}

function renderBest(detail) {
  const base = campaignUrl(detail.campaign.name);
  $('download-yaml').href = `${base}/hyp_evolve.yaml`;
  $('download-csv').href = `${base}/evolve.csv`;
  $('evolve-png-link').href = `${base}/evolve.png`;
  const best = detail.best;
  $('best-where').textContent = best === null ? 'none yet' : `trial ${best.trial}, fitness ${fixed(best.fitness)}`;
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

function renderFailures(detail) {
  const c = detail.campaign;
  const base = campaignUrl(c.name);
  $('failures-summary').textContent = c.failed === 0 ? 'none' : `${c.failed} in all${c.failed > c.recentFailures.length ? `, latest ${c.recentFailures.length} shown` : ''}`;
  fillTable(
    $('failures-table'),
    ['trial', 'host', 'reason', 'log', 'command line'],
    [...c.recentFailures].reverse().map((f) =>
      el(
        'tr',
        {},
        el('td', {}, f.index),
        el('td', {}, f.host ?? '-'),
        el('td', {}, f.error),
        // A trial refused before it ran has an empty log path: no link to nothing.
        el('td', {}, f.logPath === null || f.logPath === '' ? '-' : el('a', { href: `${base}/trials/${f.index}/log`, title: f.logPath, target: '_blank' }, 'log')),
        el('td', {}, f.command === null ? '-' : el('code', {}, f.command.join(' '))),
      ),
    ),
  );
}

// ---- per-epoch curves: the trials running now, and the trial opened in the table ----

let curvesChart = null;
let trialCurveChart = null;
/** The status of the open trial when its curve was last drawn: a change (its last epoch, a retry) draws it again. */
let trialCurveDrawn = null;

// One colour per trial, the same on every poll while other trials come and go.
const CURVE_COLOURS = ['#3e4989', '#35b779', '#e0873a', '#c53030', '#31688e', '#8a5a12', '#9b59b6', '#1f9e89', '#d4a017', '#6b7280'];

/** A run's epochs as a line; an epoch without a fitness (not validated) is left out. */
function curveSeries(name, points, colour) {
  const data = points.filter((p) => p.fitness !== null).map((p) => [p.epoch, p.fitness]);
  return { name, type: 'line', showSymbol: data.length <= 60, symbolSize: 5, color: CURVE_COLOURS[colour % CURVE_COLOURS.length], data };
}

/**
 * Rungs (--prune) as dashed vertical lines, and where a pruned trial stopped: its fitness at the
 * rung and the cut it fell below. Drawn on the first line, so they add no series of their own.
 */
function markRungs(series, rungs, pruned) {
  if (series.length === 0) return;
  series[0].markLine = {
    silent: true, symbol: 'none', animation: false, lineStyle: { type: 'dashed', color: '#9aa1ad' }, label: { formatter: 'rung {c}', position: 'insideEndTop' },
    data: rungs.map((rung) => ({ xAxis: rung })),
  };
  if (pruned !== null && pruned.cut !== null) {
    series.at(-1).markPoint = {
      symbol: 'rect', symbolSize: [18, 2], itemStyle: { color: '#c53030' }, label: { position: 'right', formatter: `cut ${fixed(pruned.cut)}`, color: '#c53030' },
      data: [{ coord: [pruned.rung, pruned.cut] }],
    };
  }
}

/** `alsoShow`: a fitness the y axis must reach though no line does (a pruned trial's cut). */
function drawCurves(chart, series, epochs, alsoShow = null) {
  chart.setOption({
    animation: false,
    grid: { left: 60, right: 24, top: 34, bottom: 40 },
    legend: { type: 'scroll', top: 0 },
    tooltip: { trigger: 'item', formatter: (p) => `${p.seriesName}<br>epoch ${p.value[0]}: fitness ${fixed(p.value[1])}` },
    xAxis: { type: 'value', name: 'epoch', nameLocation: 'middle', nameGap: 26, minInterval: 1, min: 1, max: epochs > 0 ? epochs : 'dataMax', splitLine: { show: false } },
    yAxis: {
      type: 'value', scale: true, name: 'fitness', nameLocation: 'middle', nameGap: 45,
      min: alsoShow === null ? null : (extent) => Math.min(extent.min, alsoShow),
      max: alsoShow === null ? null : (extent) => Math.max(extent.max, alsoShow),
    },
    series,
  }, { replaceMerge: ['series'] });
}

function markCurves(box, series) {
  box.dataset.series = String(series.length);
  box.dataset.points = String(series.reduce((n, line) => n + line.data.length, 0));
}

async function loadCurves() {
  const reply = await getJson(`/api/campaigns/${encodeURIComponent(campaignName)}/curves`);
  const drawn = reply.trials.filter((t) => t.points.some((p) => p.fitness !== null));
  const box = $('curves-chart');
  $('curves-summary').textContent = reply.trials.length === 0
    ? 'no trial is running now'
    : `fitness after each epoch, one line per trial running now (${reply.trials.length} running${drawn.length < reply.trials.length ? `, ${reply.trials.length - drawn.length} before their first measured epoch` : ''})`;
  if (curvesChart === null) {
    if (drawn.length === 0) return;
    box.replaceChildren();
    curvesChart = echarts.init(box);
  }
  const series = drawn.map((t) => curveSeries(`trial ${t.index}`, t.points, t.index));
  markRungs(series, reply.rungs, null);
  drawCurves(curvesChart, series, Math.max(0, ...drawn.map((t) => t.epochs ?? 0)));
  markCurves(box, series);
  box.dataset.rungs = series.length === 0 ? '' : reply.rungs.join(',');
  box.dataset.trials = drawn.map((t) => t.index).join(',');
}

/** The open trial's curve, one line per run (a retried trial has several); hidden when it has none. */
async function loadTrialCurve(index) {
  const curve = await getJson(`/api/campaigns/${encodeURIComponent(campaignName)}/trials/${index}/curve`);
  if (table.selected !== index) return;
  trialCurveDrawn = curve.status;
  const runs = curve.runs.filter((r) => r.points.some((p) => p.fitness !== null));
  const box = $('trial-curve');
  box.hidden = runs.length === 0;
  const series = runs.map((r, i) => curveSeries(runs.length > 1 ? `run ${r.run}` : `trial ${index}`, r.points, index + i));
  markRungs(series, curve.rungs, curve.pruned);
  if (runs.length > 0) {
    if (trialCurveChart === null) trialCurveChart = echarts.init(box);
    else trialCurveChart.resize();
    drawCurves(trialCurveChart, series, Math.max(0, ...runs.map((r) => r.epochs ?? 0)), curve.pruned?.cut ?? null);
  }
  markCurves(box, series);
  box.dataset.index = String(index);
  box.dataset.status = String(curve.status);
  box.dataset.rungs = series.length === 0 ? '' : curve.rungs.join(',');
  box.dataset.cut = series.length === 0 || curve.pruned?.cut == null ? '' : String(curve.pruned.cut);
}

// ---- trials table ----

/** Statuses a trial leaves; every other one is final (new final statuses need no change here). */
const LIVE = new Set(['queued', 'running']);
const TRIAL_STATUSES = ['queued', 'running', 'succeeded', 'failed', 'pruned', 'cancelled', 'surplus'];
const TABLE_PAGE = 200;
const trials = new Map();
/** Every trial below this index is final: later polls ask only from here. */
let trialsFrom = 0;
let evolvedNames = [];
const table = { key: '', columns: [], sort: { key: 'index', dir: -1 }, filters: {}, shown: TABLE_PAGE, selected: null };

async function loadTrials() {
  let from = trialsFrom;
  for (let pages = 0; pages < 100; pages++) {
    const reply = await getJson(`/api/campaigns/${encodeURIComponent(campaignName)}/trials?from=${from}`);
    for (const t of reply.trials) trials.set(t.index, t);
    if (reply.next === null) break;
    from = reply.next;
  }
  while (trials.has(trialsFrom) && !LIVE.has(trials.get(trialsFrom).status)) trialsFrom += 1;
  renderTrials();
}

function trialDuration(t) {
  if (t.durationMs !== null) return t.durationMs;
  return t.status === 'running' && t.startedAt !== null ? Math.max(0, Date.now() - t.startedAt) : null;
}

function trialColumns() {
  const metrics = [];
  for (const t of trials.values()) for (const name of Object.keys(t.metrics ?? {})) if (!metrics.includes(name)) metrics.push(name);
  const base = campaignUrl(campaignName);
  const columns = [
    { key: 'index', label: '#', num: true, value: (t) => t.index, text: (t) => String(t.index) },
    { key: 'status', label: 'status', value: (t) => t.status, text: (t) => t.status, filter: 'status', cell: (t) => el('span', { class: `status-${t.status}` }, t.status) },
    { key: 'fitness', label: 'fitness', num: true, value: (t) => t.fitness, text: (t) => fixed(t.fitness) },
    { key: 'duration', label: 'duration (s)', num: true, value: (t) => (trialDuration(t) === null ? null : trialDuration(t) / 1000), text: (t) => shortDuration(trialDuration(t)) },
    { key: 'worker', label: 'worker', value: (t) => (t.host === null ? null : `${t.host}/${t.device ?? '?'}`), text: (t) => (t.host === null ? '-' : `${t.host}/${t.device ?? '?'}`) },
    { key: 'attempt', label: 'run', num: true, value: (t) => t.attempt, text: (t) => (t.attempt === null ? '-' : String(t.attempt)) },
    {
      key: 'log', label: 'log', value: (t) => (t.hasLog ? 1 : 0), text: (t) => (t.hasLog ? 'log' : '-'), filter: 'log',
      cell: (t) => (t.hasLog ? el('a', { href: `${base}/trials/${t.index}/log`, target: '_blank', class: 'log-link' }, 'log') : '-'),
    },
    ...metrics.map((name) => ({ key: `m:${name}`, label: name, num: true, value: (t) => t.metrics?.[name] ?? null, text: (t) => fixed(t.metrics?.[name] ?? null) })),
    ...evolvedNames.map((name) => ({ key: `h:${name}`, label: name, num: true, value: (t) => t.hyp[name] ?? null, text: (t) => significant(t.hyp[name] ?? null) })),
    { key: 'error', label: 'reason', value: (t) => t.error, text: (t) => t.error ?? '', class: 'error' },
  ];
  return columns;
}

const NUMBER = String.raw`-?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?`;
const RANGE = new RegExp(`^(${NUMBER})\\s*\\.\\.\\s*(${NUMBER})$`);
const COMPARE = new RegExp(`^(>=|<=|>|<|=)\\s*(${NUMBER})$`);

/** A filter box's text as a test of (value, shown text): `>0.3`, `<=60`, `0.1..0.2`, or a piece of the text. */
function filterTest(column, query) {
  const q = query.trim();
  if (q === '') return null;
  if (column.filter === 'status') return (t) => t.status === q;
  if (column.filter === 'log') return (t) => t.hasLog === (q === 'yes');
  const range = RANGE.exec(q);
  if (range !== null) {
    const [low, high] = [Number(range[1]), Number(range[2])];
    return (t) => typeof column.value(t) === 'number' && column.value(t) >= low && column.value(t) <= high;
  }
  const compare = COMPARE.exec(q);
  if (compare !== null) {
    const x = Number(compare[2]);
    const ops = { '>': (v) => v > x, '>=': (v) => v >= x, '<': (v) => v < x, '<=': (v) => v <= x, '=': (v) => v === x };
    return (t) => {
      const v = column.value(t);
      return typeof v === 'number' && Number.isFinite(v) && ops[compare[1]](v);
    };
  }
  const needle = q.toLowerCase();
  return (t) => column.text(t).toLowerCase().includes(needle);
}

function compareTrials(column, dir) {
  return (a, b) => {
    const [x, y] = [column.value(a), column.value(b)];
    const missingX = x === null || x === undefined || (typeof x === 'number' && !Number.isFinite(x));
    const missingY = y === null || y === undefined || (typeof y === 'number' && !Number.isFinite(y));
    if (missingX || missingY) return missingX === missingY ? a.index - b.index : missingX ? 1 : -1;
    const order = typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y));
    return order === 0 ? a.index - b.index : dir * order;
  };
}

function renderTrialHeader(columns, statuses) {
  const labels = columns.map((c) => {
    const sorted = table.sort.key === c.key;
    const th = el('th', { class: `sortable${c.num ? ' num' : ''}`, 'data-key': c.key, 'aria-sort': sorted ? (table.sort.dir > 0 ? 'ascending' : 'descending') : null, title: 'sort' }, c.label);
    th.addEventListener('click', () => {
      table.sort = { key: c.key, dir: table.sort.key === c.key ? -table.sort.dir : c.num ? -1 : 1 };
      renderTrials(true);
    });
    return th;
  });
  const filters = columns.map((c) => {
    let input;
    if (c.filter === 'status') {
      input = el('select', { 'data-filter': c.key }, el('option', { value: '' }, 'all'), statuses.map((s) => el('option', { value: s }, s)));
    } else if (c.filter === 'log') {
      input = el('select', { 'data-filter': c.key }, el('option', { value: '' }, 'any'), el('option', { value: 'yes' }, 'with log'), el('option', { value: 'no' }, 'none'));
    } else {
      input = el('input', { type: 'search', 'data-filter': c.key, placeholder: c.num ? '>0, a..b' : 'text', 'aria-label': `filter ${c.label}` });
    }
    input.value = table.filters[c.key] ?? '';
    input.addEventListener('input', () => {
      table.filters[c.key] = input.value;
      table.shown = TABLE_PAGE;
      renderTrials();
    });
    return el('th', {}, input);
  });
  const head = el('thead', {}, el('tr', {}, labels), el('tr', { class: 'filters' }, filters));
  const t = $('trials-table');
  t.replaceChildren(head, el('tbody'));
}

function renderTrials(headerToo = false) {
  const columns = trialColumns();
  const all = [...trials.values()];
  // A status the page does not know yet (a newer scheduler's) still gets its filter choice.
  const statuses = [...new Set([...TRIAL_STATUSES, ...all.map((t) => t.status)])];
  const key = `${columns.map((c) => c.key).join('|')}#${statuses.join(',')}`;
  if (key !== table.key || headerToo) {
    table.key = key;
    table.columns = columns;
    renderTrialHeader(columns, statuses);
  }
  const tests = table.columns.flatMap((c) => {
    const test = filterTest(c, table.filters[c.key] ?? '');
    return test === null ? [] : [test];
  });
  const matching = all.filter((t) => tests.every((test) => test(t)));
  const sortColumn = table.columns.find((c) => c.key === table.sort.key) ?? table.columns[0];
  matching.sort(compareTrials(sortColumn, table.sort.dir));
  const rows = matching.slice(0, table.shown).map((t) => {
    const tr = el('tr', { 'data-index': t.index, class: table.selected === t.index ? 'selected' : null },
      table.columns.map((c) => el('td', { class: [c.num ? 'num' : '', c.class ?? ''].join(' ').trim() || null }, c.cell ? c.cell(t) : c.text(t))));
    tr.addEventListener('click', (event) => {
      if (event.target instanceof Element && event.target.closest('a') !== null) return;
      void openTrial(t.index);
    });
    return tr;
  });
  const element = $('trials-table');
  element.querySelector('tbody').replaceChildren(...rows);
  element.dataset.rows = String(matching.length);
  element.dataset.total = String(all.length);
  $('trials-summary').textContent = `${matching.length === all.length ? `${all.length}` : `${matching.length} of ${all.length}`} trials` +
    (matching.length > table.shown ? `, the first ${table.shown} shown` : '');
  $('trials-more').hidden = matching.length <= table.shown;
}

async function openTrial(index) {
  table.selected = index;
  const api = `/api/campaigns/${encodeURIComponent(campaignName)}/trials/${index}`;
  const record = await getJson(api);
  $('trial-record-index').textContent = `#${index}`;
  $('trial-record-json').href = api;
  const log = $('trial-record-log');
  log.hidden = typeof record.logPath !== 'string' || record.logPath === '';
  log.href = `${campaignUrl(campaignName)}/trials/${index}/log`;
  const show = (value) => {
    if (value === null || value === undefined) return '-';
    if (Array.isArray(value)) return value.join(' ');
    if (typeof value === 'object') return Object.entries(value).map(([k, v]) => `${k}: ${typeof v === 'number' ? significant(v) : v}`).join(', ');
    return String(value);
  };
  $('trial-record').replaceChildren(...Object.entries(record).flatMap(([k, v]) => [el('dt', {}, k), el('dd', { 'data-field': k }, show(v))]));
  const card = $('trial-record-card');
  card.hidden = false;
  card.dataset.index = String(index);
  await loadTrialCurve(index);
  card.scrollIntoView({ block: 'nearest' });
  renderTrials();
}

// ---- what matters: parallel coordinates and hyp importance ----

const MAX_AXES = 12;
let importance = null;
let importanceRows = -1;
let lastImportanceAt = 0;
let parallelChart = null;
let parallelKey = '';

async function loadImportance(rows) {
  if (rows === importanceRows || Date.now() - lastImportanceAt < PLOT_MIN_MS) return;
  lastImportanceAt = Date.now();
  importance = await getJson(`/api/campaigns/${encodeURIComponent(campaignName)}/importance`);
  importanceRows = rows;
  renderImportance();
}

function renderImportance() {
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
  $('importance-table').title = importance.method;
}

function renderParallel() {
  const scored = [...trials.values()].filter((t) => t.status === 'succeeded' && typeof t.fitness === 'number' && Number.isFinite(t.fitness));
  // Hyps that never moved (a zero start that mutation cannot change) would draw flat axes.
  const ranked = importance?.hyps ? importance.hyps.filter((h) => h.distinct > 1).map((h) => h.name).filter((name) => evolvedNames.includes(name)) : evolvedNames;
  const axes = ranked.slice(0, MAX_AXES);
  const key = `${scored.length}:${axes.join(',')}`;
  if (key === parallelKey || scored.length === 0 || axes.length === 0) return;
  parallelKey = key;
  const box = $('parallel-chart');
  if (parallelChart === null) {
    box.replaceChildren();
    parallelChart = echarts.init(box);
  }
  const fitnesses = scored.map((t) => t.fitness);
  const [low, high] = [Math.min(...fitnesses), Math.max(...fitnesses)];
  parallelChart.setOption({
    animation: false,
    parallel: { left: 30, right: 150, top: 50, bottom: 30, parallelAxisDefault: { type: 'value', scale: true, nameLocation: 'end', nameGap: 12, nameRotate: 25, nameTextStyle: { fontSize: 11 }, axisLabel: { fontSize: 10 } } },
    parallelAxis: [...axes.map((name, dim) => ({ dim, name })), { dim: axes.length, name: 'fitness', nameTextStyle: { fontWeight: 'bold' } }],
    visualMap: { type: 'continuous', dimension: axes.length, min: low, max: high === low ? low + 1e-9 : high, right: 4, top: 'middle', calculable: true, precision: 4, text: ['fitness', ''], inRange: { color: ['#440154', '#31688e', '#35b779', '#fde725'] } },
    series: [{ type: 'parallel', lineStyle: { width: 1, opacity: 0.55 }, data: scored.map((t) => [...axes.map((name) => t.hyp[name] ?? null), t.fitness]) }],
  }, true);
  box.dataset.lines = String(scored.length);
  box.dataset.axes = String(axes.length + 1);
  $('importance-summary').textContent = `hyps against fitness, one line per recorded trial${evolvedNames.length > axes.length ? ` (the ${axes.length} most important of the ${evolvedNames.length} evolved hyps)` : ''}; drag along an axis to pick a range`;
}

let settingsShown = false;
function renderSettings(detail) {
  if (settingsShown) return;
  settingsShown = true;
  const s = detail.settings;
  const rows = [
    ['command', el('code', {}, s.command.join(' '))],
    ['adapter', s.adapter],
    ['fitness weights', `${s.fitnessWeights.join(', ')} (over ${s.fitnessMetrics.join(', ')})`],
    ['parents', s.parentStrategy],
    ['seed', s.seed],
    ['exports', el('code', {}, `${s.outDir}/${detail.campaign.name}`)],
    ['evolved', `${s.evolved.length} of ${s.hypNames.length} hyps`],
  ];
  $('settings').replaceChildren(...rows.flatMap(([k, v]) => [el('dt', {}, k), el('dd', {}, v)]));
}

async function act(action) {
  if (action === 'cancel' && !confirm(`Cancel campaign ${campaignName} for good? Running trials finish; no new ones start.`)) return;
  const message = $('action-message');
  message.hidden = false;
  message.className = 'muted';
  message.textContent = `${action}…`;
  const response = await fetch(`/api/campaigns/${encodeURIComponent(campaignName)}/${action}`, { method: 'POST', headers: { accept: 'application/json' } });
  const body = await response.json().catch(() => ({}));
  message.className = response.ok ? 'notice' : 'problem';
  message.dataset.status = String(response.status);
  message.textContent = response.ok ? body.message : (body.error ?? `${action} failed: HTTP ${response.status}`);
  clearTimeout(act.fade);
  if (response.ok) act.fade = setTimeout(() => (message.hidden = true), 10000);
  await tick();
}

// ---- polling ----

async function tick() {
  try {
    const status = await getJson('/api/status');
    renderNav(status);
    if (campaignName === null) {
      renderOverview(status);
    } else {
      const detail = await getJson(`/api/campaigns/${encodeURIComponent(campaignName)}`);
      renderHead(detail);
      renderBest(detail);
      renderFailures(detail);
      renderSettings(detail);
      evolvedNames = detail.settings.evolved;
      await loadTrials();
      await loadImportance(detail.rows);
      renderParallel();
      renderWorkers($('workers-table'), $('workers-summary'), status.workers, campaignName);
      await loadPoints();
      await loadPlot(detail.rows);
      await loadCurves();
      const open = table.selected === null ? undefined : trials.get(table.selected);
      if (open !== undefined && (LIVE.has(open.status) || open.status !== trialCurveDrawn)) await loadTrialCurve(open.index);
    }
    showProblem(status.schedulers.length === 0 ? 'No scheduler serve is alive: nothing is bred or recorded.' : null);
    document.body.dataset.updated = String(Date.now());
  } catch (error) {
    showProblem(`Could not refresh: ${error.message}`);
  }
}

async function main() {
  $(campaignName === null ? 'overview' : 'campaign').hidden = false;
  await loadSession().catch(() => undefined);
  if (campaignName !== null) {
    initCharts();
    for (const action of ['pause', 'resume', 'cancel']) $(action).addEventListener('click', () => void act(action));
    $('fitness-axis').addEventListener('change', (event) => {
      fitnessAxis = event.target.value;
      renderFitness();
    });
    $('trials-more').addEventListener('click', () => {
      table.shown += TABLE_PAGE;
      renderTrials();
    });
    $('trial-record-close').addEventListener('click', () => {
      $('trial-record-card').hidden = true;
      table.selected = null;
      trialCurveDrawn = null;
      renderTrials();
    });
  }
  for (;;) {
    await tick();
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

void main();
