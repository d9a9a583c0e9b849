/** The record of one trial, at the top of the campaign page and at its own address (/campaigns/:name/trials/:index). */
import type { CampaignApi } from './api.js';
import { TrialCurveChart } from './curves.js';
import { $, fillTable } from './dom.js';
import { campaignUrl } from './format.js';
import { hypDiff, recordFields } from './record-fields.js';

export class TrialRecordCard {
  readonly #curve = new TrialCurveChart();
  readonly #card = $('trial-record-card');
  /** The open trial; null while none. */
  index: number | null = null;
  /** The open trial's status when its curve was last drawn: a change (its last epoch, a retry) draws it again. */
  curveDrawnFor: string | null = null;

  constructor(private readonly api: CampaignApi, onClose: () => void) {
    $('trial-record-close').addEventListener('click', onClose);
  }

  resize(): void {
    this.#curve.resize();
  }

  close(): void {
    this.#card.hidden = true;
    this.index = null;
    this.curveDrawnFor = null;
  }

  async open(index: number): Promise<void> {
    this.index = index;
    const record = await this.api.trial(index);
    const parents = await Promise.all((record.parents ?? []).map(async (p) => ({ index: p, hyp: (await this.api.trial(p)).hyp ?? {} })));
    if (this.index !== index) return;
    $('trial-record-index').textContent = `#${index}`;
    const badge = $('trial-record-status');
    badge.textContent = record.status ?? '';
    badge.className = `badge status-${record.status ?? ''}`;
    $<HTMLAnchorElement>('trial-record-json').href = this.api.trialUrl(index);
    const log = $<HTMLAnchorElement>('trial-record-log');
    log.hidden = typeof record.logPath !== 'string' || record.logPath === '';
    log.href = `${campaignUrl(this.api.name)}/trials/${index}/log`;
    const { main, details } = recordFields(record, this.api.name);
    $('trial-record').replaceChildren(...main);
    $('trial-record-details').replaceChildren(...details);
    const diff = hypDiff(record, parents);
    fillTable($('trial-hyps'), diff.header, diff.rows);
    $('trial-hyps-summary').textContent = diff.summary;
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
