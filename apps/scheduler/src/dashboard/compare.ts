/**
 * Trials or campaigns side by side (`/compare?t=<campaign>:<index>&t=…`, or `?c=<campaign>&c=…`
 * for each campaign's best trial): fitness, learning curves on one chart, and the hyps with the
 * ones that differ in bold.
 */
import { CampaignApi, type CurveRun, type TrialRecordJson } from './api.js';
import { curveSeries, drawCurves, markCurves } from './curves.js';
import { $, el, fillTable } from './dom.js';
import { echarts } from './echarts.js';
import { campaignUrl, formatDuration, formatSignificant } from './format.js';

interface Item {
  label: string;
  campaign: string;
  index: number;
  record: TrialRecordJson;
  run: CurveRun | undefined;
}

/** The address of a comparison of these trials (`campaign:index`) or campaigns. */
export function compareUrl(what: { trials?: readonly { campaign: string; index: number }[]; campaigns?: readonly string[] }): string {
  const query = new URLSearchParams();
  for (const t of what.trials ?? []) query.append('t', `${t.campaign}:${t.index}`);
  for (const c of what.campaigns ?? []) query.append('c', c);
  return `/compare?${query.toString()}`;
}

async function load(campaign: string, index: number, label: string): Promise<Item> {
  const api = new CampaignApi(campaign);
  const [record, curve] = await Promise.all([api.trial(index), api.trialCurve(index)]);
  return { label, campaign, index, record, run: curve.runs.at(-1) };
}

/** What the address asks for, loaded; a campaign without a finished trial is named in the problem. */
export async function loadComparison(query: URLSearchParams): Promise<Item[]> {
  const trials = query.getAll('t').map((t) => {
    const at = t.lastIndexOf(':');
    const index = Number(t.slice(at + 1));
    if (at <= 0 || !Number.isInteger(index) || index < 0) throw new Error(`t=${t}: expected <campaign>:<trial index>, e.g. t=exp:12`);
    return load(t.slice(0, at), index, `${t.slice(0, at)} #${index}`);
  });
  const campaigns = query.getAll('c').map(async (name) => {
    const detail = await new CampaignApi(name).detail();
    if (detail.best === null) throw new Error(`campaign ${name} has no finished trial to compare yet`);
    return load(name, detail.best.trial, `${name} (best: #${detail.best.trial})`);
  });
  const items = await Promise.all([...trials, ...campaigns]);
  if (items.length < 2) throw new Error('nothing to compare: tick two or more trials (a campaign\'s Trials table) or campaigns (the overview)');
  return items;
}

export function renderComparison(items: readonly Item[]): void {
  $('compare-what').textContent = items.map((i) => i.label).join(' · ');
  const row = (name: string, cells: (item: Item) => string | HTMLElement) => el('tr', { 'data-row': name }, el('td', {}, name), items.map((i) => el('td', { class: 'num' }, cells(i))));
  const metricNames = [...new Set(items.flatMap((i) => Object.keys(i.record.metrics ?? {})))];
  fillTable($('compare-summary'), ['', ...items.map((i) => `#${i.label}`)], [
    row('trial', (i) => el('a', { href: `${campaignUrl(i.campaign)}/trials/${i.index}` }, `${i.campaign} #${i.index}`)),
    row('status', (i) => i.record.status ?? '-'),
    row('fitness', (i) => formatSignificant(i.record.fitness)),
    ...metricNames.map((name) => row(name, (i) => formatSignificant(i.record.metrics?.[name] ?? null))),
    row('ran for', (i) => formatDuration(i.record.durationMs ?? null)),
  ]);
  const names = [...new Set(items.flatMap((i) => Object.keys(i.record.hyp ?? {})))];
  let differing = 0;
  const hypRows = names.map((name) => {
    const values = items.map((i) => i.record.hyp?.[name]);
    const differs = values.some((v) => v !== values[0]);
    if (differs) differing += 1;
    return el('tr', { class: differs ? 'differs' : null, 'data-hyp': name }, el('td', {}, name), values.map((v) => el('td', { class: 'num' }, formatSignificant(v))));
  });
  fillTable($('compare-hyps'), ['hyp', ...items.map((i) => `#${i.label}`)], hypRows);
  $('compare-hyps-summary').textContent = `${differing} of ${names.length} differ`;
  const box = $('compare-curves');
  const series = items.flatMap((i, n) => (i.run === undefined ? [] : [curveSeries(i.label, i.run.points, n)]));
  drawCurves(echarts.init(box), series, Math.max(0, ...items.map((i) => i.run?.epochs ?? 0)));
  markCurves(box, series);
  addEventListener('resize', () => echarts.getInstanceByDom(box)?.resize());
}
