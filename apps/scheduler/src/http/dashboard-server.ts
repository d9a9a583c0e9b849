import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { ConfigError, quoteInput, type RedisClient } from '@hyperevolve/runtime';
import type { CampaignStore } from '../campaign/campaign-store.js';
import type { Queues } from '../campaign/queues.js';
import { CorruptStateError } from '../errors.js';
import type { SchedulerMetrics } from '../metrics/scheduler-metrics.js';
import type { PopulationPoints } from '../plot/population-points.js';
import { compileAccessPolicy } from './access-policy.js';
import { registerActionRoutes } from './action-routes.js';
import { registerApiRoutes } from './api-routes.js';
import { mountBullBoard } from './bull-board.js';
import { registerFileRoutes } from './file-routes.js';
import { installGuard } from './guard.js';
import { compileHostPolicy, hostAllowed, hostName } from './host-policy.js';
import { registerPageRoutes } from './page-routes.js';
import { BadRequestError } from './route-params.js';
import { installSecurityHeaders } from './security-headers.js';

export interface DashboardOptions {
  host: string;
  port: number;
  token: string | null;
  publicRead: boolean;
  /** Host names (besides the bound address and localhost) the dashboard answers to. */
  allowedHosts: readonly string[];
  redis: RedisClient;
  store: CampaignStore;
  queues: Queues;
  points: PopulationPoints;
  metrics: SchedulerMetrics;
  log: Logger;
}

export interface Dashboard {
  /** http://host:port as bound (the port is the real one when 0 was asked for). */
  url: string;
  close(): Promise<void>;
}

/**
 * `scheduler serve --http HOST:PORT`: the campaign pages, their JSON, Bull Board at /queues
 * and Prometheus at /metrics. Throws ConfigError for a bind nobody could use safely.
 */
export async function startDashboard(options: DashboardOptions): Promise<Dashboard> {
  const policy = compileAccessPolicy(options.host, options.token, options.publicRead);
  const hosts = compileHostPolicy(options.host, options.allowedHosts);
  const httpLog: FastifyBaseLogger = options.log.child({ part: 'http' });
  const app: FastifyInstance = Fastify({ loggerInstance: httpLog, logController: new LogController({ disableRequestLogging: true }), bodyLimit: 64 * 1024 });
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_request, body, done) => {
    done(null, Object.fromEntries(new URLSearchParams(String(body))));
  });
  app.setErrorHandler((error, request, reply) => {
    if (error instanceof BadRequestError) return reply.code(400).send({ error: error.message });
    if (error instanceof CorruptStateError) return reply.code(500).send({ error: error.message });
    const status = (error as { statusCode?: number }).statusCode;
    if (status !== undefined && status < 500) return reply.code(status).send({ error: (error as Error).message });
    request.log.error({ err: error, url: request.url.split('?')[0] }, 'dashboard request failed');
    return reply.code(500).send({ error: 'internal error; see the scheduler log' });
  });
  installSecurityHeaders(app);
  // Before anything else, reads included: a rebound DNS name must not even learn what is here.
  app.addHook('onRequest', async (request, reply) => {
    const host = request.headers.host;
    if (hostAllowed(hosts, host)) return;
    const name = host === undefined ? '' : hostName(host);
    return reply.code(403).send({
      error: `refused: Host ${quoteInput(host ?? '')} is not this dashboard's address (a page on another site reaching it through a DNS name that points here?); ` +
        `to open the dashboard under that name, restart scheduler serve with --http-allowed-hosts ${name === '' ? '<name>' : name}`,
    });
  });
  installGuard(app, policy);
  await registerPageRoutes(app);
  registerApiRoutes(app, options.redis, options.store, options.points);
  registerActionRoutes(app, options.redis, options.store, options.queues, policy);
  registerFileRoutes(app, options.store);
  app.get('/metrics', async (_request, reply) => reply.type(options.metrics.contentType).send(await options.metrics.render()));
  await mountBullBoard(app, options.queues, !policy.loopback && policy.token === null);
  try {
    await app.listen({ host: options.host, port: options.port });
  } catch (error) {
    await app.close().catch(() => undefined);
    const code = (error as { code?: string }).code;
    const why = code === 'EADDRINUSE' ? 'the port is in use (another scheduler serve?); pick another port' : code === 'EACCES' ? 'no permission for that port; use one above 1023' : code === 'EADDRNOTAVAIL' ? 'this machine has no such address; use 127.0.0.1 or 0.0.0.0' : (error as Error).message;
    throw new ConfigError(`--http ${options.host}:${options.port}: cannot listen: ${why}`, { cause: error });
  }
  const address = app.server.address();
  const port = address !== null && typeof address === 'object' ? address.port : options.port;
  const url = `http://${options.host.includes(':') ? `[${options.host}]` : options.host}:${port}`;
  options.log.info(
    { url, loopback: policy.loopback, token: policy.token !== null, publicRead: policy.publicRead },
    policy.loopback ? 'dashboard listening (loopback only)' : 'dashboard listening beyond loopback',
  );
  if (!policy.loopback && policy.token === null) options.log.warn('dashboard without --http-token: pause/resume/cancel over HTTP are disabled');
  return { url, close: () => app.close() };
}
