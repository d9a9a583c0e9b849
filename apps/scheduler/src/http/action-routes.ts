import type { FastifyInstance } from 'fastify';
import type { CampaignStore } from '../campaign/campaign-store.js';
import { controlCampaign } from '../campaign/control-campaign.js';
import type { Queues } from '../campaign/queues.js';
import { CampaignError } from '../errors.js';
import { decideAccess, tokenMatches, type AccessPolicy } from './access-policy.js';
import { TOKEN_COOKIE, requestToken } from './request-token.js';
import { campaignParams } from './route-params.js';
import type { RedisClient } from '@hyperevolve/runtime';

const ACTIONS = ['pause', 'resume', 'cancel'] as const;
export type CampaignAction = (typeof ACTIONS)[number];

/** `/api/session`: what this browser may do. */
export interface SessionReply {
  loopback: boolean;
  publicRead: boolean;
  actionsEnabled: boolean;
  canAct: boolean;
}

/** `/api/campaigns/:name/<action>`: the outcome's message, or why not. */
export type ActionReply = { ok: true; message: string } | { error: string };

/** pause / resume / cancel (the guard has checked the token), sign-in and the session's rights. */
export function registerActionRoutes(app: FastifyInstance, redis: RedisClient, store: CampaignStore, queues: Queues, policy: AccessPolicy): void {
  for (const action of ACTIONS) {
    app.post(`/api/campaigns/:name/${action}`, async (request, reply) => {
      const { name } = campaignParams(request.params);
      try {
        const reason = action === 'pause' ? 'paused from the dashboard' : '';
        const outcome = await controlCampaign(redis, store, queues, name, action, reason);
        request.log.info({ campaign: name, action, jobs: outcome.jobs }, `campaign ${action} from the dashboard`);
        return { ok: true, message: outcome.message };
      } catch (error) {
        if (error instanceof CampaignError) return reply.code(error.httpStatus).send({ error: error.message });
        throw error;
      }
    });
  }

  app.get('/api/session', (request): SessionReply => ({
    loopback: policy.loopback,
    publicRead: policy.publicRead,
    actionsEnabled: policy.loopback || policy.token !== null,
    canAct: decideAccess(policy, 'write', requestToken(request)) === 'allow',
  }));

  // Sign-in: a form posts the token; a correct one is kept in a cookie the browser sends only
  // to this site (SameSite=Strict), so the dashboard's and Bull Board's own requests carry it.
  app.post('/login', (request, reply) => {
    const token = requestToken(request);
    const next = nextPath((request.body as Record<string, unknown> | undefined)?.next);
    if (policy.token === null || token === null || !tokenMatches(policy.token, token)) {
      reply.code(403).type('text/html; charset=utf-8').send(loginPage(next, policy.token === null ? 'This scheduler has no --http-token: there is nothing to sign in with.' : 'Wrong token.'));
      return;
    }
    reply.header('set-cookie', `${TOKEN_COOKIE}=${encodeURIComponent(token)}; Path=/; HttpOnly; SameSite=Strict`).redirect(next, 303);
  });

  app.post('/logout', (_request, reply) => {
    reply.header('set-cookie', `${TOKEN_COOKIE}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0`).redirect('/', 303);
  });

  app.get('/login', (request, reply) => {
    const next = nextPath((request.query as Record<string, unknown> | undefined)?.next);
    reply.type('text/html; charset=utf-8').send(loginPage(next, ''));
  });
}

/** Only a local path: never an absolute URL that would send the user elsewhere. */
function nextPath(value: unknown): string {
  return typeof value === 'string' && value.startsWith('/') && !value.startsWith('//') && !value.includes('\\') ? value : '/';
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function loginPage(next: string, problem: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>hyperevolve · sign in</title>
<link rel="stylesheet" href="/assets/dashboard.css"></head><body class="login">
<form method="post" action="/login" class="card">
<h1>hyperevolve</h1>
<p>This dashboard listens beyond loopback. Enter the token given to <code>scheduler serve --http-token</code>.</p>
${problem === '' ? '' : `<p class="problem">${escapeHtml(problem)}</p>`}
<input type="hidden" name="next" value="${escapeHtml(next)}">
<input type="password" name="token" placeholder="token" autocomplete="current-password" autofocus required>
<button type="submit">Sign in</button>
</form></body></html>`;
}
