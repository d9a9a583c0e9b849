/**
 * The scheduler's JSON API as the page reads it, typed by the server code that answers it (type
 * imports only: nothing of the server is bundled). A 401 sends the browser to sign in.
 */
import type { TrialRecord } from '@hyperevolve/contract';
import type { ActionReply, CampaignAction, SessionReply } from '../http/action-routes.js';
import type { EvolvePlotReply, ImportanceReply, PointsReply } from '../http/api-routes.js';
import type { CampaignDetail } from '../http/campaign-detail.js';
import type { FinishedCurves, RunningCurves, TrialCurve } from '../http/trial-curves.js';
import type { TrialRowsPage } from '../http/trial-rows.js';
import type { StatusView } from '../status/status-view.js';

export type { CampaignAction, SessionReply } from '../http/action-routes.js';
export type { EvolvePlotReply, ImportanceReply, PointsReply } from '../http/api-routes.js';
export type { CampaignDetail } from '../http/campaign-detail.js';
export type { CurvePoint, CurveRun, FinishedCurves, RunningCurves, TrialCurve } from '../http/trial-curves.js';
export type { CampaignView, StatusView, WorkerView } from '../status/status-view.js';
export type { TrialRow } from '@hyperevolve/trial-store';
export type { TrialRecord } from '@hyperevolve/contract';

async function getJson<T>(url: string): Promise<T> {
  const response = await fetch(url, { headers: { accept: 'application/json' } });
  if (response.status === 401) {
    location.assign(`/login?next=${encodeURIComponent(location.pathname)}`);
    throw new Error('sign-in needed');
  }
  const body = (await response.json().catch(() => ({}))) as T & { error?: string };
  if (!response.ok) throw new Error(body.error ?? `${url}: HTTP ${response.status}`);
  return body;
}

export const readStatus = (): Promise<StatusView> => getJson('/api/status');
export const readSession = (): Promise<SessionReply> => getJson('/api/session');

/** A trial record as JSON carries it: the decoded trial hash. */
export type TrialRecordJson = TrialRecord;

/** The API of one campaign. */
export class CampaignApi {
  readonly base: string;

  constructor(readonly name: string) {
    this.base = `/api/campaigns/${encodeURIComponent(name)}`;
  }

  detail = (): Promise<CampaignDetail> => getJson(this.base);
  points = (from: number): Promise<PointsReply> => getJson(`${this.base}/points?from=${from}`);
  evolvePlot = (): Promise<EvolvePlotReply> => getJson(`${this.base}/evolve-plot`);
  trials = (from: number): Promise<TrialRowsPage> => getJson(`${this.base}/trials?from=${from}`);
  importance = (): Promise<ImportanceReply> => getJson(`${this.base}/importance`);
  curves = (): Promise<RunningCurves> => getJson(`${this.base}/curves`);
  finishedCurves = (top: number): Promise<FinishedCurves> => getJson(`${this.base}/finished-curves?top=${top}`);
  trialUrl = (index: number): string => `${this.base}/trials/${index}`;
  trial = (index: number): Promise<TrialRecordJson> => getJson(this.trialUrl(index));
  trialCurve = (index: number): Promise<TrialCurve> => getJson(`${this.trialUrl(index)}/curve`);

  /** pause / resume / cancel: the HTTP status and the message to show. */
  async act(action: CampaignAction): Promise<{ ok: boolean; status: number; message: string }> {
    const response = await fetch(`${this.base}/${action}`, { method: 'POST', headers: { accept: 'application/json' } });
    const body = (await response.json().catch(() => ({}))) as Partial<ActionReply>;
    const message = 'message' in body && body.message !== undefined ? body.message : 'error' in body && body.error !== undefined ? body.error : `${action} failed: HTTP ${response.status}`;
    return { ok: response.ok, status: response.status, message };
  }
}
