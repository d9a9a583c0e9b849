import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { dashboardScript } from './dashboard-script.js';

const ASSETS_DIR = join(dirname(fileURLToPath(import.meta.url)), 'assets');

/** ECharts' browser bundle, from the installed package: the dashboard needs no internet. */
function echartsBundle(): string {
  const main = createRequire(import.meta.url).resolve('echarts');
  return join(dirname(main), 'echarts.min.js');
}

const ASSETS: Record<string, { file: string; type: string }> = {
  'dashboard.css': { file: join(ASSETS_DIR, 'dashboard.css'), type: 'text/css; charset=utf-8' },
  'echarts.min.js': { file: echartsBundle(), type: 'text/javascript; charset=utf-8' },
};

/** The dashboard page (one page for the overview and each campaign) and its assets, loaded once. */
export async function registerPageRoutes(app: FastifyInstance): Promise<void> {
  const page = await readFile(join(ASSETS_DIR, 'dashboard.html'), 'utf8');
  const assets = new Map<string, { body: Buffer; type: string }>();
  for (const [name, { file, type }] of Object.entries(ASSETS)) assets.set(name, { body: await readFile(file), type });
  assets.set('dashboard.js', { body: await dashboardScript(ASSETS_DIR), type: 'text/javascript; charset=utf-8' });

  const sendPage = (_request: unknown, reply: FastifyReply): void => {
    reply.type('text/html; charset=utf-8').header('cache-control', 'no-store').send(page);
  };
  app.get('/', sendPage);
  app.get('/campaigns/:name', sendPage);
  // A trial's own address: the campaign's page with the trial's record open at the top.
  app.get('/campaigns/:name/trials/:index', sendPage);
  // Trials or campaigns side by side: /compare?t=<campaign>:<index>&t=… or ?c=<campaign>&c=… (its best trial).
  app.get('/compare', sendPage);
  app.get('/healthz', () => ({ ok: true }));
  app.get('/favicon.ico', (_request, reply) => {
    reply.code(204).send();
  });
  app.get('/assets/:file', async (request, reply) => {
    const asset = assets.get((request.params as { file: string }).file);
    if (asset === undefined) return reply.code(404).send({ error: 'no such asset' });
    return reply.type(asset.type).header('cache-control', 'max-age=300').send(asset.body);
  });
}
