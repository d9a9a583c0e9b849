import type { EChartsOption } from 'echarts/types/dist/echarts';
import type { FastifyInstance } from 'fastify';
import type { CampaignStore } from '../campaign/campaign-store.js';
import { evolvePanels, evolvedHyps } from '../plot/evolve-panels.js';
import { evolvePlotLayout } from '../plot/evolve-plot-layout.js';
import { evolvePlotOption } from '../plot/evolve-plot-option.js';
import type { PopulationPoints } from '../plot/population-points.js';
import { collectStatus } from '../status/collect-status.js';
import { readCampaignDetail } from './campaign-detail.js';
import { campaignParams, fromQuery, notFound, topQuery, trialParams } from './route-params.js';
import { FINISHED_CURVES_MAX, readFinishedCurves, readRunningCurves, readTrialCurve } from './trial-curves.js';
import { readTrialRows } from './trial-rows.js';
import { hypImportance, IMPORTANCE_MIN_TRIALS, type HypImportance } from '@hyperevolve/ga-core';
import type { RedisClient } from '@hyperevolve/runtime';
import type { EvolvePlotLayout } from '../plot/evolve-plot-layout.js';

/** `/points`: rows from position `from` on, each [trial index, finish time (ms), fitness or null for a nan row]. */
export interface PointsReply {
  total: number;
  from: number;
  points: [number, number, number | null][];
}

/** `/evolve-plot`: the evolve panels as an ECharts option, and the figure's layout. */
export interface EvolvePlotReply {
  rows: number;
  layout: EvolvePlotLayout;
  option: EChartsOption & { grid: unknown[] };
}

/** `/importance`: each evolved hyp's share of the explained fitness variance (null below minTrials). */
export interface ImportanceReply {
  method: string;
  trials: number;
  minTrials: number;
  hyps: HypImportance[] | null;
}

/** The JSON the dashboard polls. */
export function registerApiRoutes(app: FastifyInstance, redis: RedisClient, store: CampaignStore, points: PopulationPoints): void {
  const plots = new Map<string, { createdAt: number; rows: number; body: string }>();
  const importances = new Map<string, { createdAt: number; rows: number; body: ImportanceReply }>();

  app.get('/api/status', async () => collectStatus(redis, store, null));

  app.get('/api/campaigns/:name', async (request, reply) => {
    const { name } = campaignParams(request.params);
    const detail = await readCampaignDetail(redis, store, points, name);
    return detail ?? notFound(reply, `no campaign named ${name}; see /api/status for the campaigns`);
  });

  app.get('/api/campaigns/:name/points', async (request, reply) => {
    const { name } = campaignParams(request.params);
    const { from } = fromQuery(request.query);
    if ((await store.readConfig(name)) === null) return notFound(reply, `no campaign named ${name}`);
    const rows = await points.read(name);
    const start = from > rows.length ? 0 : from;
    const body: PointsReply = {
      total: rows.length,
      from: start,
      points: rows.slice(start).map((p) => [p.index, p.finishedAt, Number.isFinite(p.fitness) ? p.fitness : null]),
    };
    return body;
  });

  // The evolve panels as an ECharts option: the same drawing as evolve.png.
  app.get('/api/campaigns/:name/evolve-plot', async (request, reply) => {
    const { name } = campaignParams(request.params);
    const config = await store.readConfig(name);
    if (config === null) return notFound(reply, `no campaign named ${name}`);
    const rows = await points.read(name);
    let cached = plots.get(name);
    if (cached === undefined || cached.rows !== rows.length || cached.createdAt !== config.createdAt) {
      const panels = evolvePanels(evolvedHyps(Object.keys(config.baseHyp), config.space), rows);
      const layout = evolvePlotLayout(panels.length);
      const body: EvolvePlotReply = { rows: rows.length, layout, option: evolvePlotOption(panels, layout) as EvolvePlotReply['option'] };
      cached = { createdAt: config.createdAt, rows: rows.length, body: JSON.stringify(body) };
      plots.set(name, cached);
    }
    return reply.type('application/json; charset=utf-8').send(cached.body);
  });

  // Every trial issued, `from` on (a page at a time), for the trials table.
  app.get('/api/campaigns/:name/trials', async (request, reply) => {
    const { name } = campaignParams(request.params);
    const { from } = fromQuery(request.query);
    const page = await readTrialRows(store, name, from);
    return page ?? notFound(reply, `no campaign named ${name}`);
  });

  // How much each evolved hyp explains fitness (ga-core's hypImportance over the recorded rows).
  app.get('/api/campaigns/:name/importance', async (request, reply) => {
    const { name } = campaignParams(request.params);
    const config = await store.readConfig(name);
    if (config === null) return notFound(reply, `no campaign named ${name}`);
    const rows = await points.read(name);
    let cached = importances.get(name);
    if (cached === undefined || cached.rows !== rows.length || cached.createdAt !== config.createdAt) {
      const hyps = hypImportance(rows, evolvedHyps(Object.keys(config.baseHyp), config.space));
      cached = {
        createdAt: config.createdAt,
        rows: rows.length,
        body: {
          method: 'chance-corrected correlation ratio (epsilon-squared) of fitness over quantile bins of each hyp, normalised to sum to 1; Spearman rank correlation for the direction',
          trials: rows.filter((r) => Number.isFinite(r.fitness)).length,
          minTrials: IMPORTANCE_MIN_TRIALS,
          hyps,
        },
      };
      importances.set(name, cached);
    }
    return cached.body;
  });

  app.get('/api/campaigns/:name/trials/:index', async (request, reply) => {
    const { name, index } = trialParams(request.params);
    const record = await store.trials.readTrial(name, index);
    return record ?? notFound(reply, `campaign ${name} has no trial ${index}`);
  });

  // The per-epoch fitness of each trial running now (its current run), for the live chart.
  app.get('/api/campaigns/:name/curves', async (request, reply) => {
    const { name } = campaignParams(request.params);
    const curves = await readRunningCurves(redis, store, name);
    return curves ?? notFound(reply, `no campaign named ${name}; see /api/status for the campaigns`);
  });

  // The best finished trials' curves and the latest pruned ones (`top` of each, default 10).
  app.get('/api/campaigns/:name/finished-curves', async (request, reply) => {
    const { name } = campaignParams(request.params);
    const { top } = topQuery(request.query, FINISHED_CURVES_MAX);
    const curves = await readFinishedCurves(store, name, top);
    return curves ?? notFound(reply, `no campaign named ${name}; see /api/status for the campaigns`);
  });

  // One trial's curve, every run of it, with each epoch's metrics: any status, running or final.
  app.get('/api/campaigns/:name/trials/:index/curve', async (request, reply) => {
    const { name, index } = trialParams(request.params);
    const curve = await readTrialCurve(store, name, index);
    if (curve !== null) return curve;
    const known = (await store.readConfig(name)) !== null;
    return notFound(reply, known ? `campaign ${name} has no trial ${index}` : `no campaign named ${name}; see /api/status for the campaigns`);
  });
}
