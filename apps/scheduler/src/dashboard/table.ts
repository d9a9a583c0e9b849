/** Every trial issued, in one table: click a column to sort, type under it to filter, click a row to open the trial. */
import type { TrialRow } from './api.js';
import { $, el, type Child } from './dom.js';
import { formatSignificant, shortDuration } from './format.js';

/** Statuses a trial leaves; every other one is final (new final statuses need no change here). */
export const LIVE = new Set(['queued', 'running']);
const TRIAL_STATUSES = ['queued', 'running', 'succeeded', 'failed', 'pruned', 'cancelled', 'surplus'];
const TABLE_PAGE = 200;

type CellValue = string | number | null;

/** What the columns depend on besides the trials: the evolved hyps, and why queued trials wait (null: they wait for nothing but a free worker). */
export interface TableContext {
  evolved: readonly string[];
  waitingFor: string | null;
}

interface Column {
  key: string;
  label: string;
  num?: boolean;
  value: (t: TrialRow) => CellValue;
  text: (t: TrialRow) => string;
  cell?: (t: TrialRow) => Child;
  filter?: 'status' | 'log';
  class?: string;
}

function trialDuration(t: TrialRow): number | null {
  if (t.durationMs !== null) return t.durationMs;
  return t.status === 'running' && t.startedAt !== null ? Math.max(0, Date.now() - t.startedAt) : null;
}

const where = (t: TrialRow): string | null => (t.host === null ? null : `${t.host}/${t.device ?? '?'}`);

/** What a queued trial's reason says while no live worker may run the campaign's command. */
const reason = (t: TrialRow, waitingFor: string | null): string | null => t.error ?? (t.status === 'queued' && waitingFor !== null ? `waiting: ${waitingFor}` : null);

function columns(trials: Iterable<TrialRow>, { evolved, waitingFor }: TableContext, campaignPath: string, ticked: ReadonlySet<number>): Column[] {
  const metrics: string[] = [];
  for (const t of trials) for (const name of Object.keys(t.metrics ?? {})) if (!metrics.includes(name)) metrics.push(name);
  return [
    { key: 'index', label: '#', num: true, value: (t) => t.index, text: (t) => String(t.index) },
    { key: 'status', label: 'status', value: (t) => t.status, text: (t) => t.status, filter: 'status', cell: (t) => el('span', { class: `status-${t.status}` }, t.status) },
    { key: 'fitness', label: 'fitness', num: true, value: (t) => t.fitness, text: (t) => formatSignificant(t.fitness) },
    { key: 'duration', label: 'duration (s)', num: true, value: (t) => { const ms = trialDuration(t); return ms === null ? null : ms / 1000; }, text: (t) => shortDuration(trialDuration(t)) },
    { key: 'worker', label: 'worker', value: where, text: (t) => where(t) ?? '-' },
    { key: 'attempt', label: 'run', num: true, value: (t) => t.attempt, text: (t) => (t.attempt === null ? '-' : String(t.attempt)) },
    {
      key: 'log', label: 'log', value: (t) => (t.hasLog ? 1 : 0), text: (t) => (t.hasLog ? 'log' : '-'), filter: 'log',
      cell: (t) => (t.hasLog ? el('a', { href: `${campaignPath}/trials/${t.index}/log`, target: '_blank', class: 'log-link' }, 'log') : '-'),
    },
    ...metrics.map((name): Column => ({ key: `m:${name}`, label: name, num: true, value: (t) => t.metrics?.[name] ?? null, text: (t) => formatSignificant(t.metrics?.[name] ?? null) })),
    ...evolved.map((name): Column => ({ key: `h:${name}`, label: name, num: true, value: (t) => t.hyp[name] ?? null, text: (t) => formatSignificant(t.hyp[name] ?? null) })),
    { key: 'error', label: 'reason', value: (t) => reason(t, waitingFor), text: (t) => reason(t, waitingFor) ?? '', class: 'error' },
    {
      key: 'compare', label: 'compare', value: (t) => (ticked.has(t.index) ? 1 : 0), text: (t) => (ticked.has(t.index) ? 'yes' : ''),
      cell: (t) => el('input', { type: 'checkbox', 'data-compare': t.index, checked: ticked.has(t.index), 'aria-label': `compare trial ${t.index}` }),
    },
  ];
}

const NUMBER = String.raw`-?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?`;
const RANGE = new RegExp(`^(${NUMBER})\\s*\\.\\.\\s*(${NUMBER})$`);
const COMPARE = new RegExp(`^(>=|<=|>|<|=)\\s*(${NUMBER})$`);
const OPS: Record<string, (v: number, x: number) => boolean> = { '>': (v, x) => v > x, '>=': (v, x) => v >= x, '<': (v, x) => v < x, '<=': (v, x) => v <= x, '=': (v, x) => v === x };

/** A filter box's text as a test of a trial: `>0.3`, `<=60`, `0.1..0.2`, or a piece of the shown text. */
function filterTest(column: Column, query: string): ((t: TrialRow) => boolean) | null {
  const q = query.trim();
  if (q === '') return null;
  if (column.filter === 'status') return (t) => t.status === q;
  if (column.filter === 'log') return (t) => t.hasLog === (q === 'yes');
  const range = RANGE.exec(q);
  if (range !== null) {
    const [low, high] = [Number(range[1]), Number(range[2])];
    return (t) => {
      const v = column.value(t);
      return typeof v === 'number' && v >= low && v <= high;
    };
  }
  const compare = COMPARE.exec(q);
  const op = compare === null ? undefined : OPS[compare[1] ?? ''];
  if (compare !== null && op !== undefined) {
    const x = Number(compare[2]);
    return (t) => {
      const v = column.value(t);
      return typeof v === 'number' && Number.isFinite(v) && op(v, x);
    };
  }
  const needle = q.toLowerCase();
  return (t) => column.text(t).toLowerCase().includes(needle);
}

const missing = (v: CellValue): boolean => v === null || (typeof v === 'number' && !Number.isFinite(v));

/** Missing values last whatever the direction; ties by trial index. */
function compareTrials(column: Column, dir: number): (a: TrialRow, b: TrialRow) => number {
  return (a, b) => {
    const [x, y] = [column.value(a), column.value(b)];
    if (missing(x) || missing(y)) return missing(x) === missing(y) ? a.index - b.index : missing(x) ? 1 : -1;
    const order = typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y));
    return order === 0 ? a.index - b.index : dir * order;
  };
}

export class TrialsTable {
  #key = '';
  #columns: Column[] = [];
  #sort = { key: 'index', dir: -1 };
  readonly #filters: Record<string, string> = {};
  #shown = TABLE_PAGE;
  /** The trial whose record is open, highlighted. */
  selected: number | null = null;
  /** Trials ticked for a side-by-side comparison. */
  readonly ticked = new Set<number>();

  constructor(
    private readonly trials: ReadonlyMap<number, TrialRow>,
    private readonly context: () => TableContext,
    private readonly campaignPath: string,
    private readonly onOpen: (index: number) => void,
  ) {
    $('trials-more').addEventListener('click', () => {
      this.#shown += TABLE_PAGE;
      this.render();
    });
  }

  #renderHeader(statuses: readonly string[]): void {
    const labels = this.#columns.map((c) => {
      const sorted = this.#sort.key === c.key;
      const th = el('th', { class: `sortable${c.num ? ' num' : ''}`, 'data-key': c.key, 'aria-sort': sorted ? (this.#sort.dir > 0 ? 'ascending' : 'descending') : null, title: 'sort' }, c.label);
      th.addEventListener('click', () => {
        this.#sort = { key: c.key, dir: this.#sort.key === c.key ? -this.#sort.dir : c.num ? -1 : 1 };
        this.render(true);
      });
      return th;
    });
    const filters = this.#columns.map((c) => {
      let input: HTMLInputElement | HTMLSelectElement;
      if (c.filter === 'status') {
        input = el('select', { 'data-filter': c.key }, el('option', { value: '' }, 'all'), statuses.map((s) => el('option', { value: s }, s)));
      } else if (c.filter === 'log') {
        input = el('select', { 'data-filter': c.key }, el('option', { value: '' }, 'any'), el('option', { value: 'yes' }, 'with log'), el('option', { value: 'no' }, 'none'));
      } else {
        input = el('input', { type: 'search', 'data-filter': c.key, placeholder: c.num ? '>0, a..b' : 'text', 'aria-label': `filter ${c.label}` });
      }
      input.value = this.#filters[c.key] ?? '';
      input.addEventListener('input', () => {
        this.#filters[c.key] = input.value;
        this.#shown = TABLE_PAGE;
        this.render();
      });
      return el('th', {}, input);
    });
    $('trials-table').replaceChildren(el('thead', {}, el('tr', {}, labels), el('tr', { class: 'filters' }, filters)), el('tbody'));
  }

  render(headerToo = false): void {
    const all = [...this.trials.values()];
    const fresh = columns(all, this.context(), this.campaignPath, this.ticked);
    // A status the page does not know yet (a newer scheduler's) still gets its filter choice.
    const statuses = [...new Set([...TRIAL_STATUSES, ...all.map((t) => t.status)])];
    const key = `${fresh.map((c) => c.key).join('|')}#${statuses.join(',')}`;
    // Fresh columns each time (a queued trial's reason follows the campaign); a new header only when they change.
    this.#columns = fresh;
    if (key !== this.#key || headerToo) {
      this.#key = key;
      this.#renderHeader(statuses);
    }
    const tests = this.#columns.flatMap((c) => {
      const test = filterTest(c, this.#filters[c.key] ?? '');
      return test === null ? [] : [test];
    });
    const matching = all.filter((t) => tests.every((test) => test(t)));
    const sortColumn = this.#columns.find((c) => c.key === this.#sort.key) ?? this.#columns[0];
    if (sortColumn !== undefined) matching.sort(compareTrials(sortColumn, this.#sort.dir));
    const rows = matching.slice(0, this.#shown).map((t) => {
      const tr = el('tr', { 'data-index': t.index, class: this.selected === t.index ? 'selected' : null },
        this.#columns.map((c) => el('td', { class: [c.num ? 'num' : '', c.class ?? ''].join(' ').trim() || null }, c.cell ? c.cell(t) : c.text(t))));
      tr.addEventListener('click', (event) => {
        if (event.target instanceof HTMLInputElement && event.target.dataset.compare !== undefined) {
          if (event.target.checked) this.ticked.add(t.index);
          else this.ticked.delete(t.index);
          $<HTMLButtonElement>('compare-trials').disabled = this.ticked.size < 2;
          return;
        }
        if (event.target instanceof Element && event.target.closest('a') !== null) return;
        this.onOpen(t.index);
      });
      return tr;
    });
    const element = $('trials-table');
    element.querySelector('tbody')?.replaceChildren(...rows);
    element.dataset.rows = String(matching.length);
    element.dataset.total = String(all.length);
    $('trials-summary').textContent = `${matching.length === all.length ? `${all.length}` : `${matching.length} of ${all.length}`} trials` +
      (matching.length > this.#shown ? `, the first ${this.#shown} shown` : '');
    $('trials-more').hidden = matching.length <= this.#shown;
  }
}
