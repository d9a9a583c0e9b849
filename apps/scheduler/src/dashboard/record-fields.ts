/** How a trial's record reads: its fields up front as dates, durations and 5-digit numbers, bookkeeping under "details", and its hyps against its parents'. */
import type { TrialRecordJson } from './api.js';
import { el, type Child } from './dom.js';
import { campaignUrl, formatDuration, formatSignificant } from './format.js';

type Field = keyof TrialRecordJson;

/** What a practitioner reads first, in this order (the hyps have their own table); every other field is under "details". */
const MAIN: readonly Field[] = ['status', 'origin', 'fitness', 'metrics', 'parents', 'createdAt', 'startedAt', 'finishedAt', 'durationMs', 'attempt', 'host', 'device', 'command', 'logPath', 'error', 'warnings', 'prunedRung', 'prunedFitness', 'pruneCut', 'epoch', 'epochs'];
const LABELS: Partial<Record<Field, string>> = {
  createdAt: 'bred', startedAt: 'started', finishedAt: 'finished', durationMs: 'ran for', attempt: 'run', logPath: 'log file',
  prunedRung: 'pruned after epoch', prunedFitness: 'fitness there', pruneCut: 'below the cut', epoch: 'epochs done', epochs: 'of epochs', poolSize: 'population when bred', draws: 'candidates drawn',
};
const NUMBERS = new Set<Field>(['fitness', 'prunedFitness', 'pruneCut', 'epochFitness']);

const date = (ms: number): HTMLElement => el('time', { datetime: new Date(ms).toISOString(), title: new Date(ms).toISOString() }, new Date(ms).toLocaleString());

function value(field: Field, raw: unknown, campaign: string): Child {
  if (raw === null || raw === undefined) return '-';
  if (typeof raw === 'number' && field.endsWith('At')) return date(raw);
  if (typeof raw === 'number' && field.endsWith('Ms')) return formatDuration(raw);
  if (typeof raw === 'number' && NUMBERS.has(field)) return formatSignificant(raw);
  if (field === 'parents' && Array.isArray(raw)) return raw.length === 0 ? 'none' : (raw as number[]).map((p, i) => [i > 0 ? ', ' : '', el('a', { href: `${campaignUrl(campaign)}/trials/${p}` }, `#${p}`)]);
  if (field === 'command' && Array.isArray(raw)) return el('code', {}, raw.join(' '));
  // Its trainer went past a limit: one warning to a line.
  if (field === 'warnings' && Array.isArray(raw)) return raw.map((warning) => el('div', {}, String(warning)));
  if (Array.isArray(raw)) return raw.join(' ');
  if (typeof raw === 'object') return Object.entries(raw).map(([k, v]) => `${k}: ${typeof v === 'number' ? formatSignificant(v) : String(v)}`).join(', ');
  return typeof raw === 'string' ? raw : JSON.stringify(raw);
}

function rows(record: TrialRecordJson, fields: readonly Field[], campaign: string): HTMLElement[] {
  return fields.flatMap((field) => {
    const raw = record[field];
    if (raw === undefined) return [];
    const exact = typeof raw === 'number' ? String(raw) : null;
    return [el('dt', {}, LABELS[field] ?? field), el('dd', { 'data-field': field, 'data-value': exact }, value(field, raw, campaign))];
  });
}

/** The fields up front and the rest (pool, draws, poolSize, the run's bookkeeping), as dt/dd pairs. */
export function recordFields(record: TrialRecordJson, campaign: string): { main: HTMLElement[]; details: HTMLElement[] } {
  const main = [...MAIN];
  // How long it waited for a worker: bred to started (its latest run).
  const waited = record.createdAt !== undefined && record.startedAt !== undefined ? [el('dt', {}, 'waited'), el('dd', { 'data-field': 'waited' }, formatDuration(record.startedAt - record.createdAt))] : [];
  const rest = (Object.keys(record) as Field[]).filter((field) => !main.includes(field) && field !== 'hyp');
  return { main: [...rows(record, main, campaign), ...waited], details: rows(record, rest, campaign) };
}

/**
 * The trial's hyps beside its parents' (a `weighted` child has several): a changed hyp is bold,
 * with its change against the parents' mean. Returns the rows and a one-line summary.
 */
export function hypDiff(record: TrialRecordJson, parents: readonly { index: number; hyp: Record<string, number> }[]): { header: string[]; rows: HTMLElement[]; summary: string } {
  const hyp = record.hyp ?? {};
  const names = Object.keys(hyp);
  if (parents.length === 0) {
    const why = record.origin === 'base' ? 'the base hyps' : record.origin === 'imported' ? 'imported' : record.origin === 'base-mutation' ? 'a mutation of the base hyps' : 'no parent trial';
    return { header: ['hyp', '#value'], rows: names.map((name) => el('tr', {}, el('td', {}, name), el('td', { class: 'num' }, formatSignificant(hyp[name])))), summary: why };
  }
  let changed = 0;
  const body = names.map((name) => {
    const mine = hyp[name] ?? Number.NaN;
    const theirs = parents.map((p) => p.hyp[name] ?? Number.NaN);
    const moved = theirs.every((v) => v !== mine);
    if (moved) changed += 1;
    const mean = theirs.reduce((sum, v) => sum + v, 0) / theirs.length;
    const change = moved && mean !== 0 && Number.isFinite(mean) ? (mine - mean) / Math.abs(mean) : null;
    return el('tr', { class: moved ? 'changed' : null, 'data-hyp': name },
      el('td', {}, name),
      el('td', { class: 'num' }, formatSignificant(mine)),
      theirs.map((v) => el('td', { class: 'num' }, formatSignificant(v))),
      el('td', { class: 'num' }, change === null ? (moved ? 'from 0' : '') : `${change > 0 ? '+' : ''}${(change * 100).toFixed(1)}%`));
  });
  const of = parents.map((p) => `#${p.index}`).join(', ');
  return { header: ['hyp', '#this', ...parents.map((p) => `#${parents.length > 1 ? `#${p.index}` : `parent #${p.index}`}`), '#change'], rows: body, summary: `${changed} of ${names.length} changed from ${parents.length > 1 ? `parents ${of}` : `trial ${of}`}` };
}
