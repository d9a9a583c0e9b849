/** The record of one trial, opened from the trials table: its fields and its curve. */
import type { CampaignApi, TrialRecordJson } from './api.js';
import { TrialCurveChart } from './curves.js';
import { $, el } from './dom.js';
import { campaignUrl, formatSignificant } from './format.js';

function show(value: unknown): string {
  if (value === null || value === undefined) return '-';
  if (Array.isArray(value)) return value.join(' ');
  if (typeof value === 'object') return Object.entries(value).map(([k, v]) => `${k}: ${typeof v === 'number' ? formatSignificant(v) : String(v)}`).join(', ');
  return typeof value === 'string' ? value : JSON.stringify(value);
}

export class TrialRecordCard {
  readonly #curve = new TrialCurveChart();
  readonly #card = $('trial-record-card');
  /** The open trial; null while none. */
  index: number | null = null;
  /** The open trial's status when its curve was last drawn: a change (its last epoch, a retry) draws it again. */
  curveDrawnFor: string | null = null;

  constructor(private readonly api: CampaignApi, onClose: () => void) {
    $('trial-record-close').addEventListener('click', () => {
      this.#card.hidden = true;
      this.index = null;
      this.curveDrawnFor = null;
      onClose();
    });
  }

  resize(): void {
    this.#curve.resize();
  }

  async open(index: number): Promise<void> {
    this.index = index;
    const record: TrialRecordJson = await this.api.trial(index);
    $('trial-record-index').textContent = `#${index}`;
    $<HTMLAnchorElement>('trial-record-json').href = this.api.trialUrl(index);
    const log = $<HTMLAnchorElement>('trial-record-log');
    log.hidden = typeof record.logPath !== 'string' || record.logPath === '';
    log.href = `${campaignUrl(this.api.name)}/trials/${index}/log`;
    $('trial-record').replaceChildren(...Object.entries(record).flatMap(([k, v]) => [el('dt', {}, k), el('dd', { 'data-field': k }, show(v))]));
    this.#card.hidden = false;
    this.#card.dataset.index = String(index);
    await this.loadCurve(index);
    this.#card.scrollIntoView({ block: 'nearest' });
  }

  async loadCurve(index: number): Promise<void> {
    const curve = await this.api.trialCurve(index);
    if (this.index !== index) return;
    this.curveDrawnFor = String(curve.status);
    this.#curve.draw(index, curve);
  }
}
