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
      formatter: (p) => (p.seriesIndex === 0 ? `trial ${p.value[2]}<br>fitness ${fixed(p.value[1])}<br>${new Date(p.value[0]).toLocaleString()}` : `best so far ${fixed(p.value[1])}`),
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
  });
}

function renderFitness() {
  const scored = points.filter((p) => p[2] !== null);
  const dots = scored.map(([index, at, fitness]) => [at, fitness, index]);
  const best = [];
  let top = -Infinity;
  for (const [at, fitness] of dots) {
    if (fitness > top) top = fitness;
    best.push([at, top]);
  }
  fitnessChart.setOption({ series: [{ data: dots }, { data: best }] });
  $('fitness-chart').dataset.points = String(dots.length);
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
  $('rate').textContent = c.trialsPerHour === null ? '-' : c.trialsPerHour.toFixed(1);
  $('eta').textContent = c.etaSeconds === null ? '-' : duration(c.etaSeconds * 1000);
  const reason = $('paused-reason');
  reason.hidden = !(c.status === 'paused' && c.pausedReason);
  reason.textContent = c.pausedReason ? `Paused: ${c.pausedReason}` : '';
  const waiting = $('waiting-for');
  waiting.hidden = !c.waitingFor;
  waiting.textContent = c.waitingFor ? `Waiting: ${c.waitingFor}` : '';
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
        el('td', {}, f.logPath === null ? '-' : el('a', { href: `${base}/trials/${f.index}/log`, title: f.logPath, target: '_blank' }, 'log')),
        el('td', {}, f.command === null ? '-' : el('code', {}, f.command.join(' '))),
      ),
    ),
  );
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
      renderWorkers($('workers-table'), $('workers-summary'), status.workers, campaignName);
      await loadPoints();
      await loadPlot(detail.rows);
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
  }
  for (;;) {
    await tick();
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

void main();
