import type { FastifyRequest } from 'fastify';

export const TOKEN_COOKIE = 'hyperevolve_token';
const TOKEN_HEADER = 'x-hyperevolve-token';

/**
 * The token a request presents: `Authorization: Bearer T` (Prometheus, curl), the
 * `x-hyperevolve-token` header, a `token` form field, or the cookie set by signing in on the
 * dashboard (which Bull Board's own requests carry too). Never taken from the URL, which
 * ends up in logs and browser history.
 */
export function requestToken(request: FastifyRequest): string | null {
  const authorization = request.headers.authorization;
  if (typeof authorization === 'string') {
    const match = /^Bearer\s+(.+)$/i.exec(authorization.trim());
    if (match?.[1] !== undefined) return match[1];
  }
  const header = request.headers[TOKEN_HEADER];
  if (typeof header === 'string' && header !== '') return header;
  const body = request.body as Record<string, unknown> | null | undefined;
  if (body !== null && typeof body === 'object' && typeof body.token === 'string' && body.token !== '') return body.token;
  return readCookie(request.headers.cookie, TOKEN_COOKIE);
}

function readCookie(header: string | undefined, name: string): string | null {
  if (header === undefined) return null;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0 || part.slice(0, eq).trim() !== name) continue;
    try {
      return decodeURIComponent(part.slice(eq + 1).trim());
    } catch {
      return null;
    }
  }
  return null;
}
