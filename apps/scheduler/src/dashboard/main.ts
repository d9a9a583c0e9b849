/**
 * The dashboard page: polls the scheduler's JSON API and redraws in place (no reload). One
 * page for the overview (`/`) and each campaign (`/campaigns/:name`). Bundled by
 * scripts/build.mjs into the scheduler's assets; charts by the ECharts bundle served beside it.
 */
import { CampaignApi, readSession, readStatus, type CampaignAction, type CampaignDetail, type ImportanceReply, type TrialRow } from './api.js';
import { EvolvePanels, FitnessChart, ParallelChart, parallelAxes, type FitnessAxis, type Point } from './charts.js';
import { FinishedCurvesChart, RunningCurvesChart } from './curves.js';
import { $ } from './dom.js';
import { campaignUrl } from './format.js';
import { LIVE, TrialsTable } from './table.js';
import { TrialRecordCard } from './trial-record.js';
import { compareUrl, loadComparison, renderComparison } from './compare.js';
import { renderBest, renderFailures, renderHead, renderImportance, renderNav, renderOverview, renderSession, renderSettings, renderWorkers, watchCampaignTicks } from './views.js';

const POLL_MS = 2000;
/** The evolve panels and the importance ranking are redrawn at most this often (each reads every row). */
const PLOT_MIN_MS = 5000;

/** `/`, `/campaigns/:name`, or `/campaigns/:name/trials/:index` (the campaign with that trial's record open). */
function parseRoute(path: string): { campaign: string | null; trial: number | null } {
  const match = /^\/campaigns\/([^/]+)(?:\/trials\/(\d+))?\/?$/.exec(path);
  if (match?.[1] === undefined) return { campaign: null, trial: null };
  return { campaign: decodeURIComponent(match[1]), trial: match[2] === undefined ? null : Number(match[2]) };
}

const campaignName = parseRoute(location.pathname).campaign;

function showProblem(message: string | null): void {
  const node = $('problem');
  node.hidden = message === null;
  node.textContent = message ?? '';
}

/** Everything the campaign page holds between polls. */
class CampaignPage {
  readonly api: CampaignApi;
  readonly #points: Point[] = [];
  readonly #trials = new Map<number, TrialRow>();
  /** Every trial below this index is final: later polls ask only from here. */
  #trialsFrom = 0;
  #evolved: readonly string[] = [];
  /** The campaign's command and why its queued trials wait (no live worker may run it), from the latest detail. */
  command: readonly string[] | null = null;
  #waitingFor: string | null = null;
  #settingsShown = false;
  #importance: ImportanceReply | null = null;
  #importanceRows = -1;
  #lastImportanceAt = 0;
  #plottedRows = -1;
  #lastPlotAt = 0;
  readonly #fitness = new FitnessChart();
  readonly #panels = new EvolvePanels();
  readonly #parallel = new ParallelChart();
  readonly #running = new RunningCurvesChart();
  readonly #finished = new FinishedCurvesChart();
  /** What the finished curves were last drawn for (rows, pruned, how many): they change only when a trial ends. */
  #finishedKey = '';
  readonly #record: TrialRecordCard;
  readonly #table: TrialsTable;

  constructor(name: string, refresh: () => Promise<void>) {
    this.api = new CampaignApi(name);
    this.#table = new TrialsTable(this.#trials, () => ({ evolved: this.#evolved, waitingFor: this.#waitingFor }), campaignUrl(name), (index) => {
      // Each record has its own address: shareable, and the back button closes it.
      history.pushState(null, '', `${campaignUrl(name)}/trials/${index}`);
      void this.show(index);
    });
    this.#record = new TrialRecordCard(this.api, () => {
      history.pushState(null, '', campaignUrl(name));
      void this.show(null);
    });
    addEventListener('popstate', () => void this.show(parseRoute(location.pathname).trial));
    $('compare-trials').addEventListener('click', () => location.assign(compareUrl({ trials: [...this.#table.ticked].sort((a, b) => a - b).map((index) => ({ campaign: name, index })) })));
    for (const action of ['pause', 'resume', 'cancel'] as const) $(action).addEventListener('click', () => void this.#act(action, refresh));
    $<HTMLSelectElement>('fitness-axis').addEventListener('change', (event) => {
      this.#fitness.axis = (event.target as HTMLSelectElement).value as FitnessAxis;
      this.#fitness.draw(this.#points);
    });
    $('finished-top').addEventListener('change', () => void refresh());
    addEventListener('resize', () => {
      for (const chart of [this.#fitness, this.#panels, this.#parallel, this.#running, this.#finished, this.#record]) chart.resize();
    });
  }

  /** Opens a trial's record (null: closes it), as the address says. */
  async show(index: number | null): Promise<void> {
    this.#table.selected = index;
    if (index === null) this.#record.close();
    else await this.#record.open(index);
    this.#table.render();
  }

  async #act(action: CampaignAction, refresh: () => Promise<void>): Promise<void> {
    if (action === 'cancel' && !confirm(`Cancel campaign ${this.api.name} for good? Running trials finish; no new ones start.`)) return;
    const message = $('action-message');
    message.hidden = false;
    message.className = 'muted';
    message.textContent = `${action}…`;
    const outcome = await this.api.act(action);
    message.className = outcome.ok ? 'notice' : 'problem';
    message.dataset.status = String(outcome.status);
    message.textContent = outcome.message;
    clearTimeout(fade);
    if (outcome.ok) fade = setTimeout(() => (message.hidden = true), 10_000);
    await refresh();
  }

  async refresh(): Promise<void> {
    const detail = await this.api.detail();
    renderHead(detail);
    renderBest(detail);
    renderFailures(detail);
    if (!this.#settingsShown) renderSettings(detail);
    this.#settingsShown = true;
    this.#evolved = detail.settings.evolved;
    this.command = detail.settings.command;
    this.#waitingFor = detail.campaign.waitingFor;
    await this.#loadTrials();
    await this.#loadImportance(detail);
    const { axes, note } = parallelAxes(this.#importance, this.#evolved);
    if (this.#parallel.draw(this.#trials.values(), axes)) $('importance-summary').textContent = `hyps against fitness, one line per recorded trial (${note}); drag along an axis to pick a range`;
    await this.#loadPoints();
    await this.#loadPlot(detail.rows);
    this.#running.draw(await this.api.curves(), detail.campaign.status);
    await this.#loadFinished(detail);
    const open = this.#record.index === null ? undefined : this.#trials.get(this.#record.index);
    if (open !== undefined && (LIVE.has(open.status) || open.status !== this.#record.curveDrawnFor)) await this.#record.loadCurve(open.index);
  }

  async #loadFinished(detail: CampaignDetail): Promise<void> {
    const top = Number($<HTMLSelectElement>('finished-top').value);
    const key = `${detail.rows}:${detail.campaign.pruning?.pruned ?? 0}:${top}`;
    if (key === this.#finishedKey) return;
    this.#finished.draw(await this.api.finishedCurves(top));
    this.#finishedKey = key;
  }

  async #loadTrials(): Promise<void> {
    let from = this.#trialsFrom;
    for (let pages = 0; pages < 100; pages++) {
      const reply = await this.api.trials(from);
      for (const t of reply.trials) this.#trials.set(t.index, t);
      if (reply.next === null) break;
      from = reply.next;
    }
    for (let t = this.#trials.get(this.#trialsFrom); t !== undefined && !LIVE.has(t.status); t = this.#trials.get(this.#trialsFrom)) this.#trialsFrom += 1;
    this.#table.render();
  }

  async #loadImportance(detail: CampaignDetail): Promise<void> {
    if (detail.rows === this.#importanceRows || Date.now() - this.#lastImportanceAt < PLOT_MIN_MS) return;
    this.#lastImportanceAt = Date.now();
    this.#importance = await this.api.importance();
    this.#importanceRows = detail.rows;
    renderImportance(this.#importance);
  }

  async #loadPoints(): Promise<void> {
    const reply = await this.api.points(this.#points.length);
    if (reply.from === 0 && this.#points.length > 0) this.#points.length = 0;
    this.#points.push(...reply.points);
    this.#fitness.draw(this.#points);
  }

  async #loadPlot(rows: number): Promise<void> {
    if (rows === this.#plottedRows || rows === 0 || Date.now() - this.#lastPlotAt < PLOT_MIN_MS) return;
    this.#lastPlotAt = Date.now();
    const reply = await this.api.evolvePlot();
    this.#panels.draw(reply);
    this.#plottedRows = reply.rows;
  }
}

let fade: ReturnType<typeof setTimeout> | undefined;

/** `/compare`: loaded once (finished trials do not change), no polling. */
async function comparePage(): Promise<void> {
  $('compare').hidden = false;
  await readSession().then(renderSession, () => undefined);
  try {
    renderNav(await readStatus(), null);
    renderComparison(await loadComparison(new URLSearchParams(location.search)));
  } catch (error) {
    showProblem(`Cannot compare: ${error instanceof Error ? error.message : String(error)}`);
  }
  document.body.dataset.updated = String(Date.now());
}

async function main(): Promise<void> {
  if (location.pathname === '/compare') return comparePage();
  $(campaignName === null ? 'overview' : 'campaign').hidden = false;
  await readSession().then(renderSession, () => undefined);
  if (campaignName === null) watchCampaignTicks((campaigns) => location.assign(compareUrl({ campaigns })));
  let campaign: CampaignPage | null = null;
  const tick = async (): Promise<void> => {
    try {
      const status = await readStatus();
      renderNav(status, campaignName);
      if (campaign === null) {
        renderOverview(status);
      } else {
        await campaign.refresh();
        renderWorkers($('workers-table'), $('workers-summary'), status.workers, campaign.api.name, campaign.command);
      }
      showProblem(status.schedulers.length === 0 ? 'No scheduler serve is alive: nothing is bred or recorded.' : null);
      document.body.dataset.updated = String(Date.now());
    } catch (error) {
      showProblem(`Could not refresh: ${error instanceof Error ? error.message : String(error)}`);
    }
  };
  if (campaignName !== null) campaign = new CampaignPage(campaignName, tick);
  const trial = parseRoute(location.pathname).trial;
  if (campaign !== null && trial !== null) await campaign.show(trial).catch((error: unknown) => showProblem(`Could not open trial ${trial}: ${error instanceof Error ? error.message : String(error)}`));
  for (;;) {
    await tick();
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

void main();
