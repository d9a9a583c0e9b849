import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { decideAccess, type AccessPolicy } from './access-policy.js';
import { requestToken } from './request-token.js';

/** Routes anyone may fetch: the sign-in page and static assets (no campaign data in them). */
const PUBLIC = new Set(['/login', '/assets/:file', '/healthz', '/favicon.ico']);

function isHtmlNavigation(request: FastifyRequest): boolean {
  return request.method === 'GET' && (request.headers.accept ?? '').includes('text/html');
}

/**
 * A write from another site (a form or fetch on some web page the user visits) carries that
 * site's Origin: refuse it, whatever the bind address, so a dashboard on 127.0.0.1 cannot be
 * driven from the open web.
 */
function crossSite(request: FastifyRequest): boolean {
  if (request.headers['sec-fetch-site'] === 'cross-site') return true;
  const origin = request.headers.origin;
  if (origin === undefined) return false;
  if (origin === 'null') return true;
  try {
    return new URL(origin).host !== request.headers.host;
  } catch {
    return true;
  }
}

/** Every request passes here after its body is parsed (a form's token field counts). */
export function installGuard(app: FastifyInstance, policy: AccessPolicy): void {
  app.addHook('preHandler', async (request: FastifyRequest, reply: FastifyReply) => {
    const write = request.method !== 'GET' && request.method !== 'HEAD';
    if (write && crossSite(request)) {
      return reply.code(403).send({ error: 'refused: this request came from another web site (its Origin differs from this dashboard)' });
    }
    // The matched route, not the raw URL: `/assets/../api/status` must not pass as an asset.
    if (PUBLIC.has(request.routeOptions.url ?? '')) return;
    const decision = decideAccess(policy, write ? 'write' : 'read', requestToken(request));
    if (decision === 'allow') return;
    if (!write && isHtmlNavigation(request)) return reply.redirect(`/login?next=${encodeURIComponent(request.url)}`);
    const what = write ? 'pause, resume, cancel and other actions' : 'reading this dashboard';
    const message =
      decision === 'no-token-configured'
        ? `refused: ${what} over HTTP are disabled because this scheduler has no --http-token; restart it with --http-token T (or HYPEREVOLVE_HTTP_TOKEN), or use the CLI (scheduler pause --name C)`
        : decision === 'bad-token'
          ? `refused: the token given for ${what} is wrong`
          : `refused: ${what} ${write ? 'need' : 'needs'} the dashboard token here (this scheduler listens beyond loopback); sign in at /login or send it as "Authorization: Bearer T"`;
    return reply.code(write ? 403 : 401).send({ error: message });
  });
}
